#include <doctest/doctest.h>

#include "session_harness.hpp"

using namespace cometd;
using namespace cometd::test;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("session");

namespace {

std::string connect_failure(const std::string& id, const std::string& error,
                            const std::string& advice) {
  return R"([{"id":")" + id + R"(","channel":"/meta/connect","successful":false,"error":")" +
         error + "\"" + (advice.empty() ? "" : R"(,"advice":)" + advice) + "}]";
}

Failure http_failure(int status) {
  Failure f;
  f.kind = Failure::Kind::http_status;
  f.http_status = status;
  f.detail = "HTTP " + std::to_string(status);
  return f;
}

Failure network_failure() {
  Failure f;
  f.kind = Failure::Kind::network;
  f.detail = "cannot connect to server:80";
  return f;
}

/// Handshake, subscriptions and first connect answered: a healthy session.
void establish(Harness& h) {
  h.session->start({"/chat/**"});
  h.handshake_ok();
  h.ok(Lane::connect);
  h.ok(Lane::request);
}

}  // namespace

TEST_CASE("sends a handshake alone, on the request lane, with the network delay as deadline") {
  SessionOptions o;
  o.connection_types = {"long-polling"};
  o.network_delay = 7s;
  Harness h(o);
  h.session->start({"/a"});
  REQUIRE(h.t().sent.size() == 1);
  const auto& hs = h.t().sent.front();
  CHECK(hs.lane == Lane::request);
  CHECK(hs.deadline == 7s);
  CHECK(message_count(hs.body) == 1);
  CHECK(field(hs.body, 0, "channel") == "/meta/handshake");
  CHECK(field(hs.body, 0, "version") == "1.0");
  CHECK(field(hs.body, 0, "minimumVersion") == "1.0");
  CHECK(field(hs.body, 0, "supportedConnectionTypes") == R"(["long-polling"])");
  CHECK_FALSE(field(hs.body, 0, "id").empty());
}

TEST_CASE("after the handshake: the first connect has advice timeout 0, subscriptions go in one "
          "request") {
  SessionOptions o;
  o.network_delay = 5s;
  Harness h(o);
  h.session->start({"/chat/a", "/chat/b/**"});
  h.handshake_ok("abc");
  REQUIRE(h.t().sent.size() == 2);
  auto connect = h.t().take(Lane::connect);
  CHECK(field(connect.body, 0, "channel") == "/meta/connect");
  CHECK(field(connect.body, 0, "clientId") == "abc");
  CHECK(field(connect.body, 0, "connectionType") == "long-polling");
  CHECK(field(connect.body, 0, "advice") == R"({"timeout":0})");
  CHECK(connect.deadline == 5s);
  auto subs = h.t().take(Lane::request);
  REQUIRE(message_count(subs.body) == 2);
  CHECK(field(subs.body, 0, "channel") == "/meta/subscribe");
  CHECK(field(subs.body, 0, "subscription") == "/chat/a");
  CHECK(field(subs.body, 1, "subscription") == "/chat/b/**");
  CHECK(field(subs.body, 1, "clientId") == "abc");
}

TEST_CASE("keeps exactly one connect outstanding, held for advice.timeout plus the delay") {
  SessionOptions o;
  o.network_delay = 10s;
  Harness h(o);
  h.session->start({"/a"});
  h.handshake_ok("c1", R"({"reconnect":"retry","interval":0,"timeout":30000})");
  auto first = h.t().take(Lane::connect);
  CHECK(h.t().sent.size() == 1);  // the subscribe only
  h.t().listener().on_batch(
      first.tag, R"([{"id":")" + field(first.body, 0, "id") +
                     R"(","channel":"/meta/connect","successful":true}])");
  CHECK(h.listener.established == 1);
  auto second = h.t().take(Lane::connect);
  CHECK(field(second.body, 0, "advice").empty());
  CHECK(second.deadline == 40s);
  CHECK(h.t().sent.size() == 1);  // no second connect while this one is held
  h.scheduler.advance(60s);
  CHECK(h.t().sent.size() == 1);
}

TEST_CASE("waits advice.interval between a connect reply and the next connect") {
  Harness h;
  h.session->start({"/a"});
  h.handshake_ok("c1", R"({"reconnect":"retry","interval":2000,"timeout":30000})");
  h.ok(Lane::connect);
  CHECK(h.t().sent.size() == 1);  // subscribe only: the next connect waits
  h.scheduler.advance(1999ms);
  CHECK(h.t().sent.size() == 1);
  h.scheduler.advance(1ms);
  CHECK(h.t().sent.size() == 2);
  CHECK(h.t().sent.back().lane == Lane::connect);
}

TEST_CASE("re-handshakes and resubscribes every channel when the session is lost") {
  struct Row {
    const char* server;
    const char* error;
    const char* advice;
  };
  const Row rows[] = {
      {"CometD", "402::session_unknown", R"({"reconnect":"handshake","interval":0})"},
      {"CometD Node without advice", "402::session_unknown", ""},
      {"Faye", "401:c1:Unknown client", R"({"reconnect":"handshake"})"},
      {"Salesforce", "403::Unknown client", R"({"reconnect":"handshake","interval":0})"},
  };
  for (const auto& row : rows) {
    SUBCASE(row.server) {
      Harness h;
      h.session->start({"/chat/a", "/chat/b"});
      h.handshake_ok("c1");
      h.ok(Lane::request);
      h.ok(Lane::connect);
      h.scheduler.advance(15s);  // a session that dies young keeps the backoff growing instead
      auto connect = h.t().take(Lane::connect);
      h.t().listener().on_batch(connect.tag,
                                connect_failure(field(connect.body, 0, "id"), row.error, row.advice));
      CHECK_FALSE(h.listener.fatal);
      CHECK(h.t().sent.empty());
      h.scheduler.advance(500ms);  // the first re-handshake waits at most the jitter
      REQUIRE(h.t().sent.size() == 1);
      CHECK(field(h.t().sent.front().body, 0, "channel") == "/meta/handshake");
      h.handshake_ok("c2");
      auto subs = h.t().take(Lane::request);
      REQUIRE(message_count(subs.body) == 2);
      CHECK(field(subs.body, 0, "subscription") == "/chat/a");
      CHECK(field(subs.body, 1, "subscription") == "/chat/b");
      CHECK(field(subs.body, 0, "clientId") == "c2");
      auto connect2 = h.t().take(Lane::connect);
      CHECK(field(connect2.body, 0, "advice") == R"({"timeout":0})");
    }
  }
}

TEST_CASE("advice reconnect none ends the session") {
  SUBCASE("on a connect failure: unavailable") {
    Harness h;
    establish(h);
    auto c = h.t().take(Lane::connect);
    h.t().listener().on_batch(c.tag, connect_failure(field(c.body, 0, "id"), "500::overloaded",
                                                     R"({"reconnect":"none"})"));
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::unavailable);
  }
  SUBCASE("401 with none (Salesforce token invalid): authentication") {
    Harness h;
    establish(h);
    auto c = h.t().take(Lane::connect);
    h.t().listener().on_batch(c.tag,
                              connect_failure(field(c.body, 0, "id"), "401::Authentication invalid",
                                              R"({"reconnect":"none","interval":0})"));
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::auth);
  }
  SUBCASE("a negative interval means none") {
    Harness h;
    establish(h);
    auto c = h.t().take(Lane::connect);
    h.t().listener().on_batch(
        c.tag, connect_failure(field(c.body, 0, "id"), "500::x", R"({"interval":-1})"));
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::unavailable);
  }
}

TEST_CASE("an unsuccessful handshake") {
  SUBCASE("401 or 403 is an authentication failure whatever the advice (Faye says handshake)") {
    Harness h;
    h.session->start({"/a"});
    auto hs = h.t().take();
    h.t().listener().on_batch(
        hs.tag, R"([{"id":")" + field(hs.body, 0, "id") +
                    R"(","channel":"/meta/handshake","error":"401::Authentication required","successful":false,"advice":{"reconnect":"handshake"}}])");
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::auth);
    CHECK(h.listener.fatal->second.find("401::Authentication required") != std::string::npos);
  }
  SUBCASE("with reconnect none is unavailable") {
    Harness h;
    h.session->start({"/a"});
    auto hs = h.t().take();
    h.t().listener().on_batch(
        hs.tag, R"([{"id":")" + field(hs.body, 0, "id") +
                    R"(","channel":"/meta/handshake","error":"500::busy","successful":false,"advice":{"reconnect":"none"}}])");
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::unavailable);
  }
  SUBCASE("otherwise it is retried after a backoff") {
    Harness h;
    h.session->start({"/a"});
    auto hs = h.t().take();
    h.t().listener().on_batch(
        hs.tag, R"([{"id":")" + field(hs.body, 0, "id") +
                    R"(","channel":"/meta/handshake","error":"500::busy","successful":false,"advice":{"reconnect":"handshake"}}])");
    CHECK_FALSE(h.listener.fatal);
    CHECK(h.t().sent.empty());
    h.scheduler.advance(1s);  // backoff 1 s with jitter: 0.5 s + rand(0, 0.5 s)
    CHECK(h.t().sent.size() == 1);
  }
}

TEST_CASE("--timeout: unavailable when never connected, connection lost when it had worked") {
  SUBCASE("never connected") {
    SessionOptions o;
    o.timeout = 10s;
    Harness h(o);
    h.session->start({"/a"});
    for (int i = 0; i < 20 && !h.listener.fatal; ++i) {
      if (!h.t().sent.empty()) {
        h.t().fail(network_failure());
      }
      h.scheduler.advance(500ms);
    }
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::unavailable);
    CHECK(h.listener.fatal->second.find("cannot connect") != std::string::npos);
    CHECK(h.scheduler.now().time_since_epoch() <= 1h + 10s);
  }
  SUBCASE("lost after working") {
    SessionOptions o;
    o.timeout = 10s;
    Harness h(o);
    establish(h);
    for (int i = 0; i < 40 && !h.listener.fatal; ++i) {
      while (!h.t().sent.empty()) {
        h.t().fail(network_failure());
      }
      h.scheduler.advance(500ms);
    }
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::connection_lost);
  }
  SUBCASE("a rejected handshake loop counts too") {
    SessionOptions o;
    o.timeout = 5s;
    Harness h(o);
    h.session->start({"/a"});
    for (int i = 0; i < 40 && !h.listener.fatal; ++i) {
      if (!h.t().sent.empty()) {
        auto hs = h.t().take();
        h.t().listener().on_batch(
            hs.tag, R"([{"id":")" + field(hs.body, 0, "id") +
                        R"(","channel":"/meta/handshake","error":"500::busy","successful":false}])");
      }
      h.scheduler.advance(250ms);
    }
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::unavailable);
  }
  SUBCASE("0 never gives up") {
    SessionOptions o;
    o.timeout = 0s;
    Harness h(o);
    h.session->start({"/a"});
    for (int i = 0; i < 100; ++i) {
      if (!h.t().sent.empty()) {
        h.t().fail(network_failure());
      }
      h.scheduler.advance(1s);
    }
    CHECK_FALSE(h.listener.fatal);
  }
}

TEST_CASE("transport failures of the handshake and the connect") {
  SUBCASE("HTTP 401 on the handshake: authentication") {
    Harness h;
    h.session->start({"/a"});
    h.t().fail(http_failure(401));
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::auth);
  }
  SUBCASE("HTTP 404 on the handshake: not a Bayeux endpoint") {
    Harness h;
    h.session->start({"/a"});
    h.t().fail(http_failure(404));
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::protocol);
  }
  SUBCASE("a TLS failure is not retried") {
    Harness h;
    h.session->start({"/a"});
    Failure f;
    f.kind = Failure::Kind::tls;
    f.detail = "TLS certificate verification failed";
    h.t().fail(f);
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::unavailable);
  }
  SUBCASE("HTTP 503 on the connect: retried with a growing backoff") {
    Harness h;
    establish(h);
    h.t().fail(http_failure(503));
    CHECK_FALSE(h.listener.fatal);
    CHECK(h.t().sent.empty());
    h.scheduler.advance(1s);  // 1 s with jitter: 0.5 s + rand(0, 0.5 s)
    REQUIRE(h.t().sent.size() == 1);
    CHECK(h.t().sent.front().lane == Lane::connect);
    h.t().fail(http_failure(503));
    h.scheduler.advance(1s);
    CHECK(h.t().sent.empty());  // the backoff doubled: 1 s to 2 s now
    h.scheduler.advance(1s);
    CHECK(h.t().sent.size() == 1);
  }
  SUBCASE("a refused connection on the connect: again every 1 s ± 50 %, not growing") {
    Harness h;
    establish(h);
    for (int i = 0; i < 5; ++i) {
      h.t().fail(network_failure());
      h.scheduler.advance(999ms);  // the fake's random 0.5: exactly 1 s
      CHECK(h.t().sent.empty());
      h.scheduler.advance(1ms);
      REQUIRE(h.t().sent.size() == 1);
    }
  }
  SUBCASE("a connect unanswered for longer than the server keeps a session: re-handshake") {
    SessionOptions o;
    o.reconnect_timeout = 0s;  // a subscriber: retried until the server is back
    Harness h(o);
    establish(h);
    bool handshook = false;
    for (int i = 0; i < 30 && !handshook; ++i) {
      while (!h.t().sent.empty()) {
        auto s = h.t().take();
        if (field(s.body, 0, "channel") == "/meta/handshake") {
          handshook = true;
          break;
        }
        Failure f;
        f.kind = Failure::Kind::deadline;
        f.detail = "no reply";
        h.t().listener().on_failure(s.tag, f);
      }
      h.scheduler.advance(5s);
    }
    CHECK(handshook);
  }
}

TEST_CASE("replies are matched by channel and id, in any order") {
  Harness h;
  establish(h);
  for (int i = 1; i <= 3; ++i) {
    PublishRequest r;
    r.channel = "/chat/a";
    r.data = std::to_string(i);
    r.ticket = static_cast<std::uint64_t>(i);
    h.session->publish(r);
  }
  h.scheduler.run_ready();
  auto request = h.t().take(Lane::request);
  REQUIRE(message_count(request.body) == 3);  // batched into one request
  const auto id1 = field(request.body, 0, "id");
  const auto id3 = field(request.body, 2, "id");
  const auto id2 = field(request.body, 1, "id");
  h.t().listener().on_batch(
      request.tag,
      R"([{"id":")" + id3 + R"(","channel":"/chat/a","successful":true},{"id":")" + id1 +
          R"(","channel":"/chat/a","successful":false,"error":"403::publish_denied"},{"id":")" + id2 +
          R"(","channel":"/chat/a","successful":true}])");
  REQUIRE(h.listener.results.size() == 3);
  CHECK(h.listener.results[0].ticket == 3);
  CHECK(h.listener.results[0].successful);
  CHECK(h.listener.results[1].ticket == 1);
  CHECK_FALSE(h.listener.results[1].successful);
  CHECK(h.listener.results[1].auth);
  CHECK(h.listener.results[1].error == "403::publish_denied");
  CHECK(h.listener.results[2].ticket == 2);
}

TEST_CASE("a user's id goes on the wire unchanged; the same id twice is matched FIFO") {
  Harness h;
  establish(h);
  for (int i = 1; i <= 2; ++i) {
    PublishRequest r;
    r.channel = "/x";
    r.data = "1";
    r.id = "dup";
    r.ticket = static_cast<std::uint64_t>(i);
    h.session->publish(r);
  }
  h.scheduler.run_ready();
  auto request = h.t().take(Lane::request);
  CHECK(field(request.body, 0, "id") == "dup");
  CHECK(field(request.body, 1, "id") == "dup");
  h.t().listener().on_batch(request.tag,
                            R"([{"id":"dup","channel":"/x","successful":true},)"
                            R"({"id":"dup","channel":"/x","successful":false,"error":"1::x"}])");
  REQUIRE(h.listener.results.size() == 2);
  CHECK(h.listener.results[0].ticket == 1);
  CHECK(h.listener.results[0].successful);
  CHECK(h.listener.results[1].ticket == 2);
}

TEST_CASE("a numeric id in a reply (Salesforce) matches by its text") {
  Harness h;
  establish(h);
  PublishRequest r;
  r.channel = "/x";
  r.data = "1";
  r.id = "7";
  h.session->publish(r);
  h.scheduler.run_ready();
  auto request = h.t().take(Lane::request);
  h.t().listener().on_batch(request.tag, R"([{"id":7,"channel":"/x","successful":true}])");
  REQUIRE(h.listener.results.size() == 1);
  CHECK(h.listener.results[0].successful);
}

TEST_CASE("a publish rejected as unknown session is resent after the re-handshake") {
  Harness h;
  establish(h);
  PublishRequest r;
  r.channel = "/x";
  r.data = R"({"k":1})";
  r.ticket = 9;
  h.session->publish(r);
  h.scheduler.run_ready();
  auto request = h.t().take(Lane::request);
  h.t().listener().on_batch(request.tag, R"([{"id":")" + field(request.body, 0, "id") +
                                             R"(","channel":"/x","successful":false,"error":"402::session_unknown"}])");
  CHECK(h.listener.results.empty());
  // The old session's held connect is aborted, so the new one does not queue behind it.
  CHECK(h.t().connects_cancelled == 1);
  h.scheduler.advance(1s);
  h.t().take(Lane::connect);  // the old held connect, never answered
  h.handshake_ok("c2");
  auto resent = h.t().take(Lane::request);
  // subscriptions first, then the publish, in one request
  REQUIRE(message_count(resent.body) == 2);
  CHECK(field(resent.body, 1, "channel") == "/x");
  CHECK(field(resent.body, 1, "clientId") == "c2");
  CHECK(field(resent.body, 1, "data") == R"({"k":1})");
}

TEST_CASE("publishes resent after a re-handshake keep their stdin order") {
  Harness h;
  establish(h);
  for (std::uint64_t ticket = 1; ticket <= 2; ++ticket) {
    PublishRequest r;
    r.channel = "/x";
    r.data = std::to_string(ticket);
    r.ticket = ticket;
    h.session->publish(r);
  }
  h.scheduler.run_ready();
  auto request = h.t().take(Lane::request);
  REQUIRE(message_count(request.body) == 2);
  PublishRequest third;
  third.channel = "/x";
  third.data = "3";
  third.ticket = 3;
  h.session->publish(third);  // queued behind the request in flight
  h.scheduler.run_ready();
  CHECK(h.t().sent.size() == 1);  // only the held connect
  // Answered in reverse order, both refused: the session is gone.
  h.t().listener().on_batch(
      request.tag, R"([{"id":")" + field(request.body, 1, "id") +
                       R"(","channel":"/x","successful":false,"error":"402::session_unknown"},)" +
                       R"({"id":")" + field(request.body, 0, "id") +
                       R"(","channel":"/x","successful":false,"error":"402::session_unknown"}])");
  h.scheduler.advance(1s);
  h.t().take(Lane::connect);
  h.handshake_ok("c2");
  auto resent = h.t().take(Lane::request);
  REQUIRE(message_count(resent.body) == 4);
  CHECK(field(resent.body, 0, "channel") == "/meta/subscribe");
  CHECK(field(resent.body, 1, "data") == "1");
  CHECK(field(resent.body, 2, "data") == "2");
  CHECK(field(resent.body, 3, "data") == "3");
}

TEST_CASE("a publish whose request was lost is reported, never resent") {
  Harness h;
  establish(h);
  PublishRequest r;
  r.channel = "/x";
  r.data = "1";
  r.ticket = 4;
  h.session->publish(r);
  h.scheduler.run_ready();
  auto request = h.t().take(Lane::request);
  Failure f;
  f.kind = Failure::Kind::network;
  f.detail = "connection reset";
  h.t().listener().on_failure(request.tag, f);
  REQUIRE(h.listener.results.size() == 1);
  CHECK_FALSE(h.listener.results[0].successful);
  CHECK(h.listener.results[0].error.find("not resent") != std::string::npos);
  h.scheduler.advance(60s);
  for (const auto& s : h.t().sent) {
    CHECK(field(s.body, 0, "channel") != "/x");
  }
}

TEST_CASE("a request/response transport: a message left unanswered in the response fails") {
  Harness h;
  establish(h);
  PublishRequest r;
  r.channel = "/x";
  r.data = "1";
  h.session->publish(r);
  h.scheduler.run_ready();
  auto request = h.t().take(Lane::request);
  h.t().listener().on_batch(request.tag, "[]");
  REQUIRE(h.listener.results.size() == 1);
  CHECK_FALSE(h.listener.results[0].successful);
}

TEST_CASE("deliveries are passed on in array order, around the replies") {
  Harness h;
  h.session->start({"/chat/**"});
  h.handshake_ok();
  auto subs = h.t().take(Lane::request);
  // CometD Node: deliveries before the replies, in the reply to a subscribe or publish.
  h.t().listener().on_batch(
      subs.tag, R"([{"channel":"/chat/a","data":{"n":1}},{"id":")" + field(subs.body, 0, "id") +
                    R"(","channel":"/meta/subscribe","successful":true,"subscription":"/chat/**"}])");
  // Faye: after the connect reply, keeping the publisher's id.
  h.ok(Lane::connect, R"({"id":"4","channel":"/chat/b","data":{"n":2}})");
  REQUIRE(h.listener.messages.size() == 2);
  CHECK(h.listener.messages[0] == R"({"channel":"/chat/a","data":{"n":1}})");
  CHECK(h.listener.messages[1] == R"({"id":"4","channel":"/chat/b","data":{"n":2}})");
  CHECK(h.listener.batches == 3);  // handshake, subscribe, connect
}

TEST_CASE("a subscription denied") {
  SUBCASE("one of two: the run goes on") {
    Harness h;
    h.session->start({"/a", "/b"});
    h.handshake_ok();
    auto subs = h.t().take(Lane::request);
    h.t().listener().on_batch(
        subs.tag, R"([{"id":")" + field(subs.body, 0, "id") +
                      R"(","channel":"/meta/subscribe","successful":false,"error":"403::subscribe_denied","subscription":"/a"},{"id":")" +
                      field(subs.body, 1, "id") +
                      R"(","channel":"/meta/subscribe","successful":true,"subscription":"/b"}])");
    CHECK_FALSE(h.listener.fatal);
  }
  SUBCASE("every one with 403: authentication") {
    Harness h;
    h.session->start({"/a"});
    h.handshake_ok();
    auto subs = h.t().take(Lane::request);
    h.t().listener().on_batch(
        subs.tag, R"([{"id":")" + field(subs.body, 0, "id") +
                      R"(","channel":"/meta/subscribe","successful":false,"error":"403:/a:Forbidden channel"}])");
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::auth);
  }
  SUBCASE("every one for another reason: failure") {
    Harness h;
    h.session->start({"/a"});
    h.handshake_ok();
    auto subs = h.t().take(Lane::request);
    h.t().listener().on_batch(
        subs.tag, R"([{"id":")" + field(subs.body, 0, "id") +
                      R"(","channel":"/meta/subscribe","successful":false,"error":"400::The replayId {5} you provided was invalid."}])");
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::failure);
  }
  SUBCASE("HTTP 400 for the subscribe request (CometD Node, bad name): reported, not looped") {
    Harness h;
    h.session->start({"/a"});
    h.handshake_ok();
    h.t().take(Lane::connect);
    h.t().fail(http_failure(400));
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::failure);
  }
}

TEST_CASE("a reply that is not Bayeux is a protocol error") {
  const char* bodies[] = {"<html>502 Bad Gateway</html>", R"({"channel":"/meta/handshake"})",
                          "[1,2]", R"([{"channel":"/a"})", ""};
  for (const char* body : bodies) {
    CAPTURE(body);
    Harness h;
    h.session->start({"/a"});
    h.t().reply(body);
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::protocol);
  }
}

TEST_CASE("a malformed message inside a valid batch is skipped") {
  Harness h;
  establish(h);
  h.ok(Lane::connect, R"({"data":1},{"channel":5,"data":2},{"channel":"/ok","data":3})");
  CHECK_FALSE(h.listener.fatal);
  REQUIRE(h.listener.messages.size() == 1);
  CHECK(h.listener.messages[0] == R"({"channel":"/ok","data":3})");
}

TEST_CASE("the server must offer our connection type") {
  Harness h;
  h.session->start({"/a"});
  auto hs = h.t().take();
  h.t().listener().on_batch(
      hs.tag, R"([{"id":")" + field(hs.body, 0, "id") +
                  R"(","channel":"/meta/handshake","successful":true,"clientId":"c","supportedConnectionTypes":["callback-polling","websocket"]}])");
  REQUIRE(h.listener.fatal);
  CHECK(h.listener.fatal->first == ExitCode::unavailable);
  CHECK(h.listener.fatal->second.find("callback-polling, websocket") != std::string::npos);
}

TEST_CASE("disconnect") {
  SUBCASE("sends /meta/disconnect and ends at its reply") {
    Harness h;
    establish(h);
    bool done = false;
    h.session->disconnect([&] { done = true; });
    auto request = h.t().take(Lane::request);
    CHECK(field(request.body, 0, "channel") == "/meta/disconnect");
    CHECK(field(request.body, 0, "clientId") == "c1");
    CHECK_FALSE(done);
    h.t().listener().on_batch(request.tag, R"([{"id":")" + field(request.body, 0, "id") +
                                               R"(","channel":"/meta/disconnect","successful":true}])");
    CHECK(h.t().closed);
    CHECK_FALSE(done);  // until the transport is torn down
    REQUIRE(h.t().shutdown_done);
    h.t().shutdown_done();
    CHECK(done);
  }
  SUBCASE("gives up waiting for the reply after 1 s") {
    Harness h;
    establish(h);
    bool done = false;
    h.session->disconnect([&] { done = true; });
    h.scheduler.advance(999ms);
    CHECK_FALSE(h.t().closed);
    h.scheduler.advance(1ms);
    REQUIRE(h.t().shutdown_done);
    h.t().shutdown_done();
    CHECK(done);
  }
  SUBCASE("a second disconnect while the first is under way: both callers are told") {
    Harness h;
    establish(h);
    bool first = false;
    bool second = false;
    h.session->disconnect([&] { first = true; });
    h.session->disconnect([&] { second = true; });
    h.scheduler.advance(1s);
    REQUIRE(h.t().shutdown_done);
    h.t().shutdown_done();
    CHECK(first);
    CHECK(second);
  }
  SUBCASE("without a session: no request, done at once") {
    Harness h;
    h.session->start({"/a"});
    bool done = false;
    h.session->disconnect([&] { done = true; });
    h.scheduler.run_ready();
    REQUIRE(h.t().shutdown_done);
    h.t().shutdown_done();
    CHECK(done);
    REQUIRE(h.t().sent.size() == 1);  // the handshake only
  }
}

TEST_CASE("--max-pending: no new connect while paused") {
  Harness h;
  establish(h);
  h.session->set_paused(true);
  CHECK(h.t().paused);
  h.ok(Lane::connect, R"({"channel":"/chat/a","data":1})");
  CHECK(h.t().sent.empty());
  h.scheduler.advance(60s);
  CHECK(h.t().sent.empty());
  h.session->set_paused(false);
  REQUIRE(h.t().sent.size() == 1);
  CHECK(h.t().sent.front().lane == Lane::connect);
}

TEST_CASE("a one-shot publish skips the connect, and falls back to it if the server insists") {
  SessionOptions o;
  o.connect_loop = false;
  Harness h(o);
  h.session->start({});
  PublishRequest r;
  r.channel = "/x";
  r.data = "1";
  h.session->publish(r);
  h.handshake_ok();
  CHECK(h.listener.established == 1);
  auto request = h.t().take();
  CHECK(request.lane == Lane::request);
  CHECK(field(request.body, 0, "channel") == "/x");
  CHECK(h.t().sent.empty());  // no connect
  h.t().listener().on_batch(request.tag, R"([{"id":")" + field(request.body, 0, "id") +
                                             R"(","channel":"/x","successful":false,"error":"402::session_unknown"}])");
  h.scheduler.advance(1s);
  h.handshake_ok("c2");
  bool connect_sent = false;
  for (const auto& s : h.t().sent) {
    connect_sent = connect_sent || s.lane == Lane::connect;
  }
  CHECK(connect_sent);
}

TEST_CASE("multiple-clients advice: connects slow down to its interval") {
  Harness h;
  establish(h);
  auto c = h.t().take(Lane::connect);
  h.t().listener().on_batch(
      c.tag, R"([{"id":")" + field(c.body, 0, "id") +
                 R"(","channel":"/meta/connect","successful":true,"advice":{"multiple-clients":true,"reconnect":"retry","interval":2000}}])");
  CHECK(h.t().sent.empty());
  h.scheduler.advance(2s);
  CHECK(h.t().sent.size() == 1);
}

TEST_CASE("a per-transport advice overrides the top level") {
  Harness h;
  h.session->start({"/a"});
  h.handshake_ok("c1",
                 R"({"reconnect":"retry","interval":0,"timeout":30000,"long-polling":{"interval":3000}})");
  h.ok(Lane::connect);
  h.scheduler.advance(2999ms);
  CHECK(h.t().sent.size() == 1);  // the subscribe
  h.scheduler.advance(1ms);
  CHECK(h.t().sent.size() == 2);
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("session");

TEST_CASE("a stalled reader: warned at 75 % of maxInterval, and the stall never counts as down") {
  LogCapture log;
  SessionOptions o;
  o.timeout = 5s;
  Harness h(o);
  h.session->start({"/a"});
  h.handshake_ok("c1", R"({"reconnect":"retry","interval":0,"timeout":30000,"maxInterval":8000})");
  h.ok(Lane::connect);
  h.ok(Lane::request);
  h.session->set_paused(true);
  h.scheduler.advance(5999ms);
  CHECK_FALSE(log.contains("output stalled"));
  h.scheduler.advance(1ms);
  CHECK(log.contains("output stalled 6s; the server drops the session after ~8s"));
  h.scheduler.advance(60s);  // far beyond --timeout: stalled, not down
  CHECK_FALSE(h.listener.fatal);
  h.session->set_paused(false);
  CHECK_FALSE(h.listener.fatal);
}

TEST_CASE("without advertised maxInterval the expiry is taken as 10 s") {
  LogCapture log;
  Harness h;
  establish(h);
  h.session->set_paused(true);
  h.scheduler.advance(7500ms);
  CHECK(log.contains("output stalled 7500ms; the server drops the session after ~10s"));
}

TEST_CASE("storm guard: after three young deaths in a row the backoff grows, and warns once") {
  LogCapture log;
  SessionOptions o;
  o.timeout = 0s;
  Harness h(o);
  h.session->start({"/a"});
  std::vector<Scheduler::Clock::time_point> handshakes;
  for (int round = 0; round < 6; ++round) {
    // the handshake "succeeds", the connect says the session is unknown
    auto hs = h.t().take(Lane::request);
    handshakes.push_back(h.scheduler.now());
    h.t().listener().on_batch(
        hs.tag, R"([{"id":")" + field(hs.body, 0, "id") +
                    R"(","channel":"/meta/handshake","successful":true,"clientId":"c","advice":{"reconnect":"retry","interval":0,"timeout":30000}}])");
    h.ok(Lane::request);  // the subscribe
    auto c = h.t().take(Lane::connect);
    h.t().listener().on_batch(c.tag, connect_failure(field(c.body, 0, "id"), "402::session_unknown",
                                                     R"({"reconnect":"handshake"})"));
    for (int i = 0; i < 1000 && h.t().sent.empty(); ++i) {
      h.scheduler.advance(10ms);
    }
  }
  // Two young deaths are not a storm: handshaken again within the 0-500 ms jitter (250 ms
  // with the fake's random 0.5). From the third on, the gaps grow: 0.75 s, 1.5 s, 3 s.
  CHECK(handshakes[1] - handshakes[0] == 250ms);
  CHECK(handshakes[2] - handshakes[1] == 250ms);
  CHECK(handshakes[3] - handshakes[2] == 750ms);
  CHECK(handshakes[4] - handshakes[3] == 1500ms);
  CHECK(handshakes[5] - handshakes[4] == 3000ms);
  CHECK(log.contains("sessions keep dying within 10s of their handshake (/meta/connect: "
                     "402::session_unknown)"));
  const auto text = log.text();
  CHECK(text.find("sessions keep dying") == text.rfind("sessions keep dying"));  // once
}

TEST_CASE("a session lost however young is handshaken again within 500 ms when the server had "
          "been unreachable (a restart, not a storm)") {
  SessionOptions o;
  o.timeout = 0s;
  o.reconnect_timeout = 0s;
  Harness h(o);
  h.session->start({"/a"});
  for (int round = 0; round < 5; ++round) {
    h.handshake_ok("c" + std::to_string(round));
    h.ok(Lane::request);
    h.ok(Lane::connect);
    // 2 s old: the server goes away (refused), comes back without the session.
    h.scheduler.advance(2s);
    h.t().fail(network_failure());
    h.scheduler.advance(1s);  // the retry pace while refused: 1 s with the fake's random
    auto c = h.t().take(Lane::connect);
    h.t().listener().on_batch(c.tag, connect_failure(field(c.body, 0, "id"),
                                                     "402::session_unknown", ""));
    h.scheduler.advance(250ms);  // the jitter, never the storm guard's backoff
    REQUIRE(h.t().sent.size() == 1);
    CHECK(field(h.t().sent.front().body, 0, "channel") == "/meta/handshake");
  }
}

TEST_CASE("a held connect resets the backoff") {
  Harness h;
  establish(h);
  // Two deadlines grow the backoff ...
  for (int i = 0; i < 2; ++i) {
    Failure f;
    f.kind = Failure::Kind::deadline;
    f.detail = "no reply";
    h.t().fail(f);
    h.scheduler.advance(3s);
  }
  // ... then a connect the server held for 2 s ...
  auto held = h.t().take(Lane::connect);
  h.scheduler.advance(2s);
  h.t().listener().on_batch(held.tag, R"([{"id":")" + field(held.body, 0, "id") +
                                          R"(","channel":"/meta/connect","successful":true}])");
  // ... so the next failure waits the first step again (0.75 s with the fake's jitter).
  auto next = h.t().take(Lane::connect);
  Failure f;
  f.kind = Failure::Kind::deadline;
  f.detail = "no reply";
  h.t().listener().on_failure(next.tag, f);
  h.scheduler.advance(750ms);
  CHECK(h.t().sent.size() == 1);
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("session");

TEST_CASE("a failure after a long healthy stretch starts the backoff afresh (a server restart)") {
  Harness h;
  establish(h);
  Failure f;
  f.kind = Failure::Kind::deadline;
  f.detail = "no reply";
  // Back-to-back failures grow the backoff: 0.75 s, then 1.5 s (the fake's jitter is 0.5).
  h.t().fail(f);
  h.scheduler.advance(750ms);
  h.t().fail(f);
  h.scheduler.advance(1499ms);
  CHECK(h.t().sent.empty());
  h.scheduler.advance(1ms);
  // The server is back; a busy session's connects return at once (never "held") ...
  for (int i = 0; i < 20; ++i) {
    h.ok(Lane::connect, R"({"channel":"/chat/a","data":1})");
    h.scheduler.advance(1s);
  }
  // ... and after 20 s of health the next failure waits the first step again.
  h.t().fail(f);
  h.scheduler.advance(750ms);
  CHECK(h.t().sent.size() == 1);
}

TEST_SUITE_END();
