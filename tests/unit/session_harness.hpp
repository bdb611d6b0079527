// A session wired to a fake transport and virtual time, and helpers to read what it sent.
#pragma once

#include <simdjson.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "fake_scheduler.hpp"
#include "fake_transport.hpp"
#include "session/session.hpp"

namespace cometd::test {

/// Field `key` of message `index` in the JSON array `body`: a string's text, other values as
/// JSON, "" when absent.
inline std::string field(const std::string& body, std::size_t index, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(body);
  simdjson::dom::element message = root.at(index);
  simdjson::dom::element value;
  if (message[key].get(value)) {
    return "";
  }
  if (value.is_string()) {
    return std::string(value.get_string().value());
  }
  return simdjson::minify(value);
}

inline std::size_t message_count(const std::string& body) {
  simdjson::dom::parser parser;
  return parser.parse(body).get_array().size();
}

/// Captures what is logged while it lives (warnings and up by default).
class LogCapture {
 public:
  explicit LogCapture(spdlog::level::level_enum level = spdlog::level::warn)
      : previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>(
        "capture", std::make_shared<spdlog::sinks::ostream_sink_st>(stream_));
    logger->set_pattern("%l: %v");
    logger->set_level(level);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() const { return stream_.str(); }
  bool contains(const std::string& needle) const {
    return text().find(needle) != std::string::npos;
  }

 private:
  std::shared_ptr<spdlog::logger> previous_;
  std::ostringstream stream_;
};

struct Recorder final : SessionListener {
  void on_message(const MessageView& message) override { messages.emplace_back(message.raw); }
  void on_batch_done() override { ++batches; }
  void on_meta(const MessageView& message) override { metas.emplace_back(message.channel); }
  void on_publish_result(const PublishResult& result) override { results.push_back(result); }
  void on_established() override { ++established; }
  void on_fatal(ExitCode code, std::string message) override {
    fatal = std::make_pair(code, std::move(message));
  }

  std::vector<std::string> messages;
  std::vector<std::string> metas;
  std::vector<PublishResult> results;
  std::optional<std::pair<ExitCode, std::string>> fatal;
  int established = 0;
  int batches = 0;
};

struct Harness {
  explicit Harness(SessionOptions options = {}, bool pipelines = false) {
    options.url = "http://server/cometd";
    session = std::make_unique<Session>(
        std::move(options), scheduler,
        [this, pipelines](std::string_view type) -> std::unique_ptr<Transport> {
          auto t = std::make_unique<FakeTransport>(std::string(type),
                                                   pipelines || type == "websocket");
          transport = t.get();
          ++transports_made;
          return t;
        },
        listener, [] { return 0.5; });
  }

  FakeTransport& t() { return *transport; }

  /// Replies to the handshake with a successful one (clientId "c1" unless given).
  void handshake_ok(const std::string& client_id = "c1",
                    const std::string& advice =
                        R"({"reconnect":"retry","interval":0,"timeout":30000})") {
    auto hs = t().take(Lane::request);
    t().listener().on_batch(
        hs.tag, R"([{"id":")" + field(hs.body, 0, "id") +
                    R"(","channel":"/meta/handshake","successful":true,"clientId":")" +
                    client_id + R"(","version":"1.0","supportedConnectionTypes":["long-polling"],"advice":)" +
                    advice + "}]");
  }

  /// Answers the oldest request on `lane` with a successful reply to each of its messages,
  /// then `extra` messages (JSON objects separated by commas).
  void ok(Lane lane, const std::string& extra = "") {
    auto request = t().take(lane);
    std::string body = "[";
    const std::size_t n = message_count(request.body);
    for (std::size_t i = 0; i < n; ++i) {
      body += i ? "," : "";
      body += R"({"id":")" + field(request.body, i, "id") + R"(","channel":")" +
              field(request.body, i, "channel") + R"(","successful":true)";
      const auto subscription = field(request.body, i, "subscription");
      if (!subscription.empty()) {
        body += R"(,"subscription":")" + subscription + "\"";
      }
      body += "}";
    }
    if (!extra.empty()) {
      body += (n ? "," : "") + extra;
    }
    body += "]";
    t().listener().on_batch(request.tag, body);
  }

  FakeScheduler scheduler;
  Recorder listener;
  FakeTransport* transport = nullptr;  // the newest one
  int transports_made = 0;
  std::unique_ptr<Session> session;
};

}  // namespace cometd::test
