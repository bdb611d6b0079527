#include "cli/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>

namespace cometd {

namespace {

// Status lines are logged at warn level (so that -q, which shows errors only, hides them) by a
// logger of this name, and get no "warning: " prefix.
constexpr const char* k_status_logger = "status";

/// %* in the pattern: "warning: " before warnings, nothing before errors and status lines.
class LevelPrefix final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view prefix;
    if (msg.logger_name == k_status_logger) {
      return;
    }
    switch (msg.level) {
      case spdlog::level::warn:
        prefix = "warning: ";
        break;
      case spdlog::level::debug:
        prefix = "debug: ";
        break;
      case spdlog::level::trace:
        prefix = "trace: ";
        break;
      default:
        break;
    }
    dest.append(prefix.data(), prefix.data() + prefix.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<LevelPrefix>();
  }
};

std::shared_ptr<spdlog::logger>& status_logger() {
  static std::shared_ptr<spdlog::logger> logger;
  return logger;
}

std::unique_ptr<spdlog::formatter> make_formatter() {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<LevelPrefix>('*').set_pattern("cometd-cli: %*%v");
  return formatter;
}

}  // namespace

void log_status(std::string_view line) {
  if (const auto& logger = status_logger()) {
    logger->warn("{}", line);
  } else {
    spdlog::warn("{}", line);
  }
}

void setup_logging(int verbosity) {
  // Unbuffered stderr; the mutex keeps lines from the worker threads whole.
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("cometd-cli", sink);
  logger->set_formatter(make_formatter());
  spdlog::level::level_enum level = spdlog::level::warn;
  if (verbosity < 0) {
    level = spdlog::level::err;
  } else if (verbosity == 1) {
    level = spdlog::level::info;
  } else if (verbosity == 2) {
    level = spdlog::level::debug;
  } else if (verbosity >= 3) {
    level = spdlog::level::trace;
  }
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);
  auto status = std::make_shared<spdlog::logger>(k_status_logger, sink);
  status->set_formatter(make_formatter());
  status->set_level(level);
  status->flush_on(spdlog::level::trace);
  status_logger() = std::move(status);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace cometd
