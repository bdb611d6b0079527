#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "builtins.hpp"
#include "session_harness.hpp"
#include "temp_files.hpp"
#include "exit_code.hpp"

using namespace cometd;
using test::read_file;
using test::temp_path;

TEST_SUITE_BEGIN("builtins");

namespace {

/// Parses `body` and hands each message to `extension`.
void feed(MessageExtension& extension, std::string body) {
  BatchParser parser;
  REQUIRE(parser.parse(body));
  for (const auto& m : parser.messages()) {
    extension.incoming(m);
  }
}

std::string ext_of(MessageExtension& extension, std::string_view channel,
                   std::string_view subscription = {}) {
  std::string members;
  extension.outgoing({channel, subscription}, members);
  return members;
}

}  // namespace

TEST_CASE("ack: asked for in the handshake; each connect acknowledges what is written") {
  AckExtension ack;
  CHECK(ext_of(ack, "/meta/handshake") == R"("ack":true)");
  CHECK(ext_of(ack, "/meta/connect").empty());  // not confirmed yet
  feed(ack, R"([{"channel":"/meta/handshake","successful":true,"clientId":"c","ext":{"ack":true}}])");
  CHECK(ack.enabled());
  CHECK(ext_of(ack, "/meta/connect") == R"("ack":0)");
  feed(ack, R"([{"channel":"/meta/connect","successful":true,"ext":{"ack":3}},{"channel":"/a","data":1}])");
  CHECK_FALSE(ack.ready_for_connect());  // batch 3's lines are not written yet
  CHECK(ext_of(ack, "/meta/connect") == R"("ack":0)");
  ack.output_drained();
  CHECK(ack.ready_for_connect());
  CHECK(ext_of(ack, "/meta/connect") == R"("ack":3)");
  CHECK(ext_of(ack, "/chat/a").empty());
}

TEST_CASE("ack: the object form of the confirmation, and a server without it") {
  AckExtension ack;
  feed(ack, R"([{"channel":"/meta/handshake","successful":true,"ext":{"ack":{"enabled":true,"batch":7}}}])");
  CHECK(ack.enabled());
  CHECK(ext_of(ack, "/meta/connect") == R"("ack":7)");
  AckExtension none;
  feed(none, R"([{"channel":"/meta/handshake","successful":true}])");
  CHECK_FALSE(none.enabled());
  CHECK(none.ready_for_connect());
  CHECK(ext_of(none, "/meta/connect").empty());
}

TEST_CASE("ack: a server without it is a warning, once, not a status line") {
  test::LogCapture log;
  AckExtension none;
  feed(none, R"([{"channel":"/meta/handshake","successful":true}])");
  feed(none, R"([{"channel":"/meta/handshake","successful":true}])");  // a re-handshake
  CHECK(log.text() ==
        "warning: --ext ack: the server does not support the ack extension; messages sent "
        "while reconnecting may be lost\n");
}

TEST_CASE("timesync: tc, l and o on /meta messages; the offset from the server's reply") {
  TimesyncExtension sync;
  const std::string members = ext_of(sync, "/meta/connect");
  CHECK(members.rfind(R"("timesync":{"tc":)", 0) == 0);
  CHECK(members.find(R"(,"l":0,"o":0})") != std::string::npos);
  CHECK(ext_of(sync, "/chat/a").empty());
  CHECK_FALSE(sync.offset_ms());
  const long long now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  feed(sync, R"([{"channel":"/meta/connect","successful":true,"ext":{"timesync":{"tc":)" +
                 std::to_string(now) + R"(,"ts":)" + std::to_string(now + 5000) +
                 R"(,"p":0,"a":0}}}])");
  REQUIRE(sync.offset_ms());
  CHECK(*sync.offset_ms() >= 4900);
  CHECK(*sync.offset_ms() <= 5000);
}

TEST_CASE("replay: the handshake asks, each subscribe carries the position") {
  ReplayOptions options;
  options.from = "-2";
  options.from_given = true;
  ReplayExtension replay(options);
  CHECK(ext_of(replay, "/meta/handshake") == R"("replay":true)");
  CHECK(ext_of(replay, "/meta/subscribe", "/event/Order__e") == R"("replay":{"/event/Order__e":-2})");
  CHECK(ext_of(replay, "/meta/connect").empty());
  // Deliveries move the position for resubscriptions.
  feed(replay, R"([{"channel":"/event/Order__e","data":{"event":{"replayId":4817372},"payload":{}}}])");
  CHECK(ext_of(replay, "/meta/subscribe", "/event/Order__e") ==
        R"("replay":{"/event/Order__e":4817372})");
}

TEST_CASE("replay: the store is read at start, wins over --replay-from, written atomically") {
  const std::string path = temp_path("replay.json");
  {
    std::ofstream out(path);
    out << R"({"/event/A": 100, "/event/B": 7})";
  }
  ReplayOptions options;
  options.from = "-2";
  options.from_given = true;
  options.store = path;
  ReplayExtension replay(options);
  CHECK(ext_of(replay, "/meta/subscribe", "/event/A") == R"("replay":{"/event/A":100})");
  CHECK(ext_of(replay, "/meta/subscribe", "/event/C") == R"("replay":{"/event/C":-2})");
  replay.written("/event/A", "105");
  std::string error;
  CHECK(replay.save(error));
  CHECK(read_file(path) == "{\"/event/A\":105,\"/event/B\":7}\n");
  std::remove(path.c_str());
}

TEST_CASE("replay: a refused stored id falls back to --replay-from; an explicit one is reported") {
  const std::string path = temp_path("stale.json");
  {
    std::ofstream out(path);
    out << R"({"/event/A": 42})";
  }
  ReplayOptions options;
  options.store = path;
  ReplayExtension replay(options);
  const std::string error =
      "400::The replayId {42} you provided was invalid. Please provide a valid ID, -2 to replay "
      "all events, or -1 to replay only new events.";
  (void)ext_of(replay, "/meta/subscribe", "/event/A");
  CHECK(replay.retry_subscription("/event/A", error));
  CHECK(ext_of(replay, "/meta/subscribe", "/event/A") == R"("replay":{"/event/A":-1})");
  CHECK_FALSE(replay.retry_subscription("/event/A", error));  // the fallback failed too
  CHECK(replay.explain_failure("/event/A", error).find("--replay-from -2") != std::string::npos);
  CHECK_FALSE(replay.retry_subscription("/event/A", "403::denied"));
  std::remove(path.c_str());

  ReplayOptions explicit_id;
  explicit_id.from = "12345";
  explicit_id.from_given = true;
  ReplayExtension strict(explicit_id);
  (void)ext_of(strict, "/meta/subscribe", "/event/A");
  CHECK_FALSE(strict.retry_subscription("/event/A", error));
}

TEST_CASE("replay: a store that is not a JSON object of ids is a configuration error") {
  const std::string path = temp_path("bad.json");
  {
    std::ofstream out(path);
    out << "[1,2]";
  }
  ReplayOptions options;
  options.store = path;
  try {
    ReplayExtension replay(options);
    FAIL("accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::config);
  }
  std::remove(path.c_str());
  ReplayOptions missing;
  missing.store = temp_path("absent.json");
  {
    ReplayExtension fresh(missing);  // a first run: no store yet
    CHECK(ext_of(fresh, "/meta/subscribe", "/x") == R"("replay":{"/x":-1})");
  }  // which writes the store when it ends
  std::remove(missing.store.c_str());
}

TEST_SUITE_END();
