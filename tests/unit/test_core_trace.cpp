// --trace records: their shape, redaction and escaping, and the session events a reader needs.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <string>
#include <vector>

#include "session_harness.hpp"
#include "trace.hpp"

using namespace cometd;
using namespace cometd::test;
using namespace std::chrono_literals;

namespace {

/// Collects the records while it lives.
struct Collect final : TraceSink {
  Collect() { install_trace(this); }
  ~Collect() override { install_trace(nullptr); }
  void write(std::string_view line) override {
    std::lock_guard<std::mutex> lock(mutex);
    lines.emplace_back(line);
  }
  /// The events, in order, with `event` names starting with `prefix`.
  std::vector<std::string> events(const std::string& prefix = "") const {
    std::vector<std::string> out;
    simdjson::dom::parser parser;
    for (const auto& line : lines) {
      const std::string_view event = parser.parse(line)["event"].get_string().value();
      if (event.substr(0, prefix.size()) == prefix) {
        out.emplace_back(event);
      }
    }
    return out;
  }
  std::mutex mutex;
  std::vector<std::string> lines;
};

std::string connect_failure(const std::string& id, const std::string& error) {
  return R"([{"id":")" + id + R"(","channel":"/meta/connect","successful":false,"error":")" +
         error + R"(","advice":{"reconnect":"handshake","interval":0}}])";
}

}  // namespace

TEST_CASE("a trace record: one JSON line, time first, values escaped and redacted") {
  Collect trace;
  TraceRecord("http.request")
      .text("note", "line\nbreak \"quoted\" \x1b[31m")
      .text("bytes", std::string("ok \xff\xfe end"))
      .url("url", "https://user:pw@host/cometd?access_token=abc&x=1")
      .headers("headers", {{"Authorization", "Bearer abc"},
                           {"Cookie", "BAYEUX_BROWSER=xyz; JSESSIONID=s1"},
                           {"Set-Cookie", "sid=v; Path=/; HttpOnly"},
                           {"Accept", "*/*"}})
      .payload("body", R"([{"channel":"/meta/handshake","ext":{"auth":{"token":"t0k"}}}])")
      .json("message", R"({ "data" : {"password":"pw","n":1} })")
      .number("status", 200)
      .flag("reused", true)
      .object("timing_us")
      .micros("total", 1500us)
      .end_object();
  REQUIRE(trace.lines.size() == 1);
  const std::string& line = trace.lines[0];
  CHECK(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  CHECK(line.rfind(R"({"ts":")", 0) == 0);
  simdjson::dom::parser parser;
  simdjson::dom::element r;
  REQUIRE_FALSE(parser.parse(line).get(r));
  CHECK(std::string(r["event"].get_string().value()) == "http.request");
  const std::string ts(r["ts"].get_string().value());
  CHECK(ts.size() == 27);  // 2026-12-03T10:14:02.123456Z
  CHECK(ts.back() == 'Z');
  CHECK(std::string(r["note"].get_string().value()) == "line\nbreak \"quoted\" \x1b[31m");
  CHECK(std::string(r["bytes"].get_string().value()) == "ok \xEF\xBF\xBD\xEF\xBF\xBD end");
  CHECK(std::string(r["url"].get_string().value()) ==
        "https://[redacted]@host/cometd?access_token=[redacted]&x=1");
  CHECK(simdjson::minify(r["headers"]) ==
        R"([["Authorization","[redacted]"],["Cookie","BAYEUX_BROWSER=[redacted]; JSESSIONID=[redacted]"],["Set-Cookie","sid=[redacted]; Path=/; HttpOnly"],["Accept","*/*"]])");
  CHECK(std::string(r["body"].get_string().value()) ==
        R"([{"channel":"/meta/handshake","ext":{"auth":{"token":"[redacted]"}}}])");
  CHECK(simdjson::minify(r["message"]) == R"({"data":{"password":"[redacted]","n":1}})");
  CHECK(int64_t(r["status"]) == 200);
  CHECK(bool(r["reused"]) == true);
  CHECK(int64_t(r["timing_us"]["total"]) == 1500);
  CHECK(line.find("abc") == std::string::npos);
  CHECK(line.find("xyz") == std::string::npos);
  CHECK(line.find("t0k") == std::string::npos);
  CHECK(line.find("pw") == std::string::npos);
}

TEST_CASE("with no sink a record costs nothing and writes nothing") {
  CHECK_FALSE(tracing());
  TraceRecord("ws.in").payload("text", "[]").emit();
  Collect trace;
  CHECK(tracing());
  {
    TraceRecord record("ws.in");
    record.emit();
    record.emit();  // once only
  }
  CHECK(trace.lines.size() == 1);
}

TEST_CASE("the session's trace of a lost session: loss, the 402, a new handshake, recovery") {
  Collect trace;
  Harness h;
  h.session->start({"/chat/a"});
  h.handshake_ok("c1");
  h.ok(Lane::request);
  h.ok(Lane::connect);
  CHECK(trace.events("session.") ==
        std::vector<std::string>{"session.transport", "session.handshake", "session.connected"});
  // The network fails under the held connect, then the server has forgotten the session.
  auto held = h.t().take(Lane::connect);
  Failure failure;
  failure.kind = Failure::Kind::refused;
  failure.detail = "cannot connect to server:80 (Connection refused)";
  h.t().listener().on_failure(held.tag, failure);
  h.scheduler.advance(2s);
  auto retry = h.t().take(Lane::connect);
  h.t().listener().on_batch(retry.tag,
                            connect_failure(field(retry.body, 0, "id"), "402::session_unknown"));
  h.scheduler.advance(500ms);
  h.handshake_ok("c2");
  h.ok(Lane::request);
  h.ok(Lane::connect);
  CHECK(trace.events("session.") ==
        std::vector<std::string>{"session.transport", "session.handshake", "session.connected",
                                 "session.lost", "session.reconnecting", "session.reconnecting",
                                 "session.handshake", "session.connected",
                                 "session.reconnected"});
  // Every Bayeux message both ways. Out: handshake, subscribe, connect, held connect, its
  // retry, handshake, subscribe, connect, held connect; in: the replies to all but the two
  // held connects that failed or are still held.
  const auto bayeux = trace.events("bayeux.");
  CHECK(std::count(bayeux.begin(), bayeux.end(), "bayeux.out") == 9);
  CHECK(std::count(bayeux.begin(), bayeux.end(), "bayeux.in") == 7);
  simdjson::dom::parser parser;
  bool saw_402 = false;
  for (const auto& line : trace.lines) {
    simdjson::dom::element r = parser.parse(line);
    const std::string_view event = r["event"].get_string().value();
    if (event == "session.reconnecting") {
      CHECK(int64_t(r["delay_ms"]) >= 0);
      CHECK_FALSE(std::string_view(r["reason"].get_string().value()).empty());
    }
    if (event == "bayeux.in" && r["message"]["error"].error() == simdjson::SUCCESS) {
      saw_402 = std::string_view(r["message"]["error"].get_string().value()) ==
                "402::session_unknown";
      CHECK(int64_t(r["request"]) == int64_t(retry.tag));
    }
    if (event == "session.reconnected") {
      CHECK(bool(r["new_session"]));
      CHECK(int64_t(r["resubscribed"]) == 1);
    }
  }
  CHECK(saw_402);
}

TEST_CASE("a body over 64 KiB is cut there, with its whole size beside it") {
  Collect trace;
  const std::string big = "[" + std::string(100000, ' ') + "]";
  TraceRecord("http.response").payload("body", big).payload("small", "[]");
  REQUIRE(trace.lines.size() == 1);
  simdjson::dom::parser parser;
  simdjson::dom::element r = parser.parse(trace.lines[0]);
  CHECK(std::string_view(r["body"].get_string().value()).size() == 64 * 1024);
  CHECK(int64_t(r["body_bytes"]) == 100002);
  CHECK(std::string(r["small"].get_string().value()) == "[]");
  CHECK(r["small_bytes"].error() == simdjson::NO_SUCH_FIELD);
}

TEST_CASE("records from several threads reach the sink in time order") {
  Collect trace;
  const std::string body(20000, 'x');  // time spent between a record's start and its end
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&body] {
      for (int i = 0; i < 200; ++i) {
        TraceRecord("ws.in").payload("text", body);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  REQUIRE(trace.lines.size() == 800);
  std::vector<std::string> stamps;
  for (const auto& line : trace.lines) {
    stamps.push_back(line.substr(7, 27));
  }
  CHECK(std::is_sorted(stamps.begin(), stamps.end()));
}
