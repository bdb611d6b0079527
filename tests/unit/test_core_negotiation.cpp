#include <doctest/doctest.h>

#include "session_harness.hpp"

using namespace cometd;
using namespace cometd::test;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("negotiation");

namespace {

SessionOptions preference(std::vector<std::string> types) {
  SessionOptions o;
  o.strict_connection_type = types.size() == 1;
  o.connection_types = std::move(types);
  o.network_delay = 5s;
  return o;
}

Failure refused(int status) {
  Failure f;
  f.kind = Failure::Kind::upgrade_refused;
  f.http_status = status;
  f.detail = "the WebSocket upgrade was refused by server:80 (HTTP " + std::to_string(status) + ")";
  return f;
}

std::string handshake_reply(const FakeTransport::Sent& hs, const std::string& offered) {
  return R"([{"id":")" + field(hs.body, 0, "id") +
         R"(","channel":"/meta/handshake","successful":true,"clientId":"c1","supportedConnectionTypes":)" +
         offered + R"(,"advice":{"reconnect":"retry","interval":0,"timeout":30000}}])";
}

}  // namespace

TEST_CASE("the handshake goes over the first preference and names ours in order") {
  Harness h(preference({"websocket", "long-polling"}));
  h.session->start({"/a"});
  CHECK(h.t().name() == "websocket");
  REQUIRE(h.t().sent.size() == 1);
  CHECK(field(h.t().sent.front().body, 0, "supportedConnectionTypes") ==
        R"(["websocket","long-polling"])");
}

TEST_CASE("an upgrade refused with an HTTP status falls back to long-polling at once") {
  Harness h(preference({"websocket", "long-polling"}));
  h.session->start({"/a"});
  h.t().fail(refused(400));
  CHECK_FALSE(h.listener.fatal);
  CHECK(h.t().name() == "long-polling");
  REQUIRE(h.t().sent.size() == 1);  // no backoff: the handshake goes straight out
  CHECK(field(h.t().sent.front().body, 0, "channel") == "/meta/handshake");
  h.handshake_ok();
  auto connect = h.t().take(Lane::connect);
  CHECK(field(connect.body, 0, "connectionType") == "long-polling");
}

TEST_CASE("strict websocket: a refused upgrade is exit 69 naming what the server offers") {
  Harness h(preference({"websocket"}));
  h.session->start({"/a"});
  h.t().fail(refused(400));
  CHECK_FALSE(h.listener.fatal);
  // One long-polling handshake only learns the server's offer.
  CHECK(h.t().name() == "long-polling");
  auto hs = h.t().take();
  h.t().listener().on_batch(hs.tag, handshake_reply(hs, R"(["long-polling","callback-polling"])"));
  REQUIRE(h.listener.fatal);
  CHECK(h.listener.fatal->first == ExitCode::unavailable);
  CHECK(h.listener.fatal->second.find("it offers: long-polling, callback-polling") !=
        std::string::npos);
  CHECK(h.listener.fatal->second.find("HTTP 400") != std::string::npos);
  CHECK(h.session->has_session());  // so that the end sends /meta/disconnect
}

TEST_CASE("a network failure of the upgrade proves nothing: retried on WebSocket") {
  Harness h(preference({"websocket", "long-polling"}));
  h.session->start({"/a"});
  Failure f;
  f.kind = Failure::Kind::network;
  f.detail = "connection refused";
  h.t().fail(f);
  h.scheduler.advance(1s);
  CHECK(h.t().name() == "websocket");
  CHECK(h.transports_made == 2);  // a fresh socket
  CHECK(h.t().sent.size() == 1);
}

TEST_CASE("a socket that opened and never answered the first connect falls back") {
  Harness h(preference({"websocket", "long-polling"}));
  h.session->start({"/a"});
  auto hs = h.t().take();
  h.t().listener().on_batch(hs.tag, handshake_reply(hs, R"(["websocket","long-polling"])"));
  CHECK(h.t().name() == "websocket");
  h.scheduler.advance(5s);  // the first connect's deadline (network delay)
  CHECK_FALSE(h.listener.fatal);
  CHECK(h.t().name() == "long-polling");
  REQUIRE_FALSE(h.t().sent.empty());
  CHECK(field(h.t().sent.front().body, 0, "channel") == "/meta/handshake");
}

TEST_CASE("once WebSocket worked it stays: a later deadline reopens the socket") {
  Harness h(preference({"websocket", "long-polling"}));
  h.session->start({"/a"});
  auto hs = h.t().take();
  h.t().listener().on_batch(hs.tag, handshake_reply(hs, R"(["websocket"])"));
  h.ok(Lane::connect);  // the first connect: WebSocket worked
  h.ok(Lane::request);  // the subscribe
  REQUIRE(h.t().sent.size() == 1);  // the held connect, deadline 30 s + 5 s
  h.scheduler.advance(35s);
  CHECK(h.t().closed);
  CHECK_FALSE(h.listener.fatal);
  h.scheduler.advance(2s);  // the retry after backoff
  CHECK(h.t().name() == "websocket");
  CHECK(h.transports_made == 2);
  REQUIRE(h.t().sent.size() == 1);
  CHECK(field(h.t().sent.front().body, 0, "channel") == "/meta/connect");
  CHECK(field(h.t().sent.front().body, 0, "advice") == R"({"timeout":0})");
}

TEST_CASE("a handshake reply that does not offer our transport switches to one it offers") {
  Harness h(preference({"websocket", "long-polling"}));
  h.session->start({"/a"});
  auto hs = h.t().take();
  h.t().listener().on_batch(hs.tag, handshake_reply(hs, R"(["long-polling"])"));
  CHECK(h.t().name() == "long-polling");
  auto connect = h.t().take(Lane::connect);
  CHECK(field(connect.body, 0, "clientId") == "c1");  // the same session
  CHECK(field(connect.body, 0, "connectionType") == "long-polling");
  CHECK(field(connect.body, 0, "advice") == R"({"timeout":0})");
}

TEST_CASE("a WebSocket lost with publishes in flight: each reported, none resent") {
  Harness h(preference({"websocket", "long-polling"}));
  h.session->start({});
  auto hs = h.t().take();
  h.t().listener().on_batch(hs.tag, handshake_reply(hs, R"(["websocket"])"));
  h.ok(Lane::connect);
  for (int i = 1; i <= 3; ++i) {
    PublishRequest r;
    r.channel = "/x";
    r.data = std::to_string(i);
    r.ticket = static_cast<std::uint64_t>(i);
    h.session->publish(r);
  }
  h.scheduler.run_ready();
  Failure f;
  f.kind = Failure::Kind::network;
  f.detail = "the WebSocket to server:80 was closed (1006)";
  h.t().listener().on_failure(0, f);
  REQUIRE(h.listener.results.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(h.listener.results[i].ticket == i + 1);
    CHECK_FALSE(h.listener.results[i].successful);
  }
}

TEST_SUITE_END();
