#include "cli/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "redact.hpp"
#include "utf8.hpp"

namespace cometd {

namespace {

void append_escape(std::string& out, char kind, unsigned value, int digits) {
  static constexpr char k_hex[] = "0123456789abcdef";
  out += '\\';
  out += kind;
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
    out += k_hex[(value >> shift) & 0xf];
  }
}

bool is_invisible_control(unsigned code_point) {
  return (code_point >= 0x80 && code_point <= 0x9f) ||      // C1: 0x9b is CSI, like ESC [
         (code_point >= 0x202a && code_point <= 0x202e) ||  // bidirectional embeddings
         (code_point >= 0x2066 && code_point <= 0x2069);    // bidirectional isolates
}

/// %* in the pattern: "warning: " before warnings, nothing before errors and status lines,
/// then the message, redacted and escaped.
// Status lines are logged at warn level (so that -q, which shows errors only, hides them) by a
// logger of this name, and get no "warning: " prefix.
constexpr const char* k_status_logger = "status";

class SafeMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view prefix;
    switch (msg.logger_name == k_status_logger ? spdlog::level::info : msg.level) {
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
    const std::string text =
        printable(redact_text(std::string_view(msg.payload.data(), msg.payload.size())));
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<SafeMessage>();
  }
};

/// From -v up, each line starts with the local time to the millisecond: a reader of a long
/// run (or of two runs side by side) needs to know when each thing happened.
std::unique_ptr<spdlog::formatter> make_formatter(bool timed) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<SafeMessage>('*').set_pattern(timed ? "%H:%M:%S.%e cometd-cli: %*"
                                                          : "cometd-cli: %*");
  return formatter;
}

std::shared_ptr<spdlog::logger>& status_logger() {
  static std::shared_ptr<spdlog::logger> logger;
  return logger;
}

}  // namespace

void log_status(std::string_view line) {
  if (const auto& logger = status_logger()) {
    logger->warn("{}", line);
  } else {
    spdlog::warn("{}", line);
  }
}

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7f) {
      out += text[i++];
      continue;
    }
    unsigned code_point = 0;
    const std::size_t length = byte < 0x80 ? 0 : utf8_sequence(text.substr(i), code_point);
    if (length == 0) {
      append_escape(out, 'x', byte, 2);
      ++i;
    } else if (is_invisible_control(code_point)) {
      append_escape(out, 'u', code_point, 4);
      i += length;
    } else {
      out.append(text.substr(i, length));
      i += length;
    }
  }
  return out;
}

void setup_logging(int verbosity) {
  // Unbuffered stderr; the mutex keeps lines from the worker threads whole.
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("cometd-cli", sink);
  const bool timed = verbosity >= 1;
  logger->set_formatter(make_formatter(timed));
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
  status->set_formatter(make_formatter(timed));
  status->set_level(level);
  status->flush_on(spdlog::level::trace);
  status_logger() = std::move(status);
  spdlog::set_default_logger(std::move(logger));
}

}  // namespace cometd
