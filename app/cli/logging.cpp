#include "cli/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>

namespace cometd {

namespace {

/// %* in the pattern: "warning: " before warnings, nothing before errors and status lines.
class LevelPrefix final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view prefix;
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

}  // namespace

void setup_logging(int verbosity) {
  // Unbuffered stderr; the mutex keeps lines from the worker threads whole.
  auto logger = std::make_shared<spdlog::logger>(
      "cometd-cli", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<LevelPrefix>('*').set_pattern("cometd-cli: %*%v");
  logger->set_formatter(std::move(formatter));
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
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace cometd
