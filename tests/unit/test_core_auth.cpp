#include <doctest/doctest.h>

#include "session_harness.hpp"

using namespace cometd;
using namespace cometd::test;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("auth");

namespace {

/// An auth source the test drives: authenticate() waits until the test calls finish().
struct FakeHooks final : BatchHooks {
  bool source = true;
  int calls = 0;
  Headers headers;
  std::string ext;
  std::function<void(bool, std::string)> pending;

  bool has_payload_hooks() const override { return false; }
  bool outgoing(std::string&, Headers&) override { return true; }
  bool incoming(std::string&) override { return true; }
  bool can_authenticate() const override { return source; }
  void authenticate(std::function<void(bool ok, std::string error)> done) override {
    ++calls;
    pending = std::move(done);
  }
  Headers auth_headers() const override { return headers; }
  std::string auth_ext() const override { return ext; }
  void finish(bool ok, const std::string& error = {}) {
    auto done = std::move(pending);
    done(ok, error);
  }
};

void refuse_handshake(Harness& h, const std::string& error, const std::string& extra = {}) {
  auto hs = h.t().take(Lane::request);
  h.t().listener().on_batch(hs.tag, R"([{"id":")" + field(hs.body, 0, "id") +
                                        R"(","channel":"/meta/handshake","successful":false,"error":")" +
                                        error + R"(","advice":{"reconnect":"handshake"})" + extra +
                                        "}]");
}

}  // namespace

TEST_CASE("no auth source: a refused handshake is exit 77 at once") {
  Harness h;
  FakeHooks hooks;
  hooks.source = false;
  h.session->use_extensions({}, &hooks);
  h.session->start({"/a"});
  refuse_handshake(h, "401::Authentication required");
  REQUIRE(h.listener.fatal);
  CHECK(h.listener.fatal->first == ExitCode::auth);
  CHECK(hooks.calls == 0);
}

TEST_CASE("authenticate once, then the handshake again with the new headers; a second refusal "
          "is final") {
  SessionOptions o;
  o.headers = {{"Authorization", "Bearer old"}, {"X-Other", "1"}};
  Harness h(o);
  FakeHooks hooks;
  h.session->use_extensions({}, &hooks);
  h.session->start({"/a"});
  CHECK(h.t().headers == o.headers);
  refuse_handshake(h, "401::Authentication invalid");
  CHECK_FALSE(h.listener.fatal);
  REQUIRE(hooks.calls == 1);
  CHECK(h.t().sent.empty());  // everything waits for the credentials
  hooks.headers = {{"Authorization", "Bearer fresh"}};
  hooks.finish(true);
  CHECK(h.transports_made == 2);  // a new transport: new headers, a new WebSocket upgrade
  CHECK(h.t().headers == Headers{{"X-Other", "1"}, {"Authorization", "Bearer fresh"}});
  REQUIRE(h.t().sent.size() == 1);
  refuse_handshake(h, "401::Authentication invalid");
  REQUIRE(h.listener.fatal);
  CHECK(h.listener.fatal->first == ExitCode::auth);
  CHECK(h.listener.fatal->second.find("again, with fresh credentials") != std::string::npos);
  CHECK(hooks.calls == 1);
}

TEST_CASE("the source failing is exit 77 with its reason") {
  Harness h;
  FakeHooks hooks;
  h.session->use_extensions({}, &hooks);
  h.session->start({"/a"});
  h.t().fail([] {
    Failure f;
    f.kind = Failure::Kind::http_status;
    f.http_status = 401;
    f.detail = "HTTP 401";
    return f;
  }());
  REQUIRE(hooks.calls == 1);
  hooks.finish(false, "--auth-command failed: it exited with status 3");
  REQUIRE(h.listener.fatal);
  CHECK(h.listener.fatal->first == ExitCode::auth);
  CHECK(h.listener.fatal->second == "--auth-command failed: it exited with status 3");
}

TEST_CASE("session loss is not an authentication failure") {
  Harness h;
  FakeHooks hooks;
  h.session->use_extensions({}, &hooks);
  h.session->start({"/a"});
  h.handshake_ok();
  h.ok(Lane::request);
  auto c = h.t().take(Lane::connect);
  h.t().listener().on_batch(c.tag, R"([{"id":")" + field(c.body, 0, "id") +
                                       R"(","channel":"/meta/connect","successful":false,"error":"403::Unknown client","advice":{"reconnect":"handshake"}}])");
  CHECK(hooks.calls == 0);
  CHECK_FALSE(h.listener.fatal);
}

TEST_CASE("Salesforce: 401 with reconnect none on a connect, and failureReason on a handshake") {
  SUBCASE("connect") {
    Harness h;
    FakeHooks hooks;
    h.session->use_extensions({}, &hooks);
    h.session->start({"/a"});
    h.handshake_ok();
    h.ok(Lane::request);
    auto c = h.t().take(Lane::connect);
    h.t().listener().on_batch(c.tag, R"([{"id":")" + field(c.body, 0, "id") +
                                         R"(","channel":"/meta/connect","successful":false,"error":"401::Authentication invalid","advice":{"reconnect":"none","interval":0}}])");
    CHECK(hooks.calls == 1);
    CHECK_FALSE(h.listener.fatal);
  }
  SUBCASE("handshake") {
    Harness h;
    FakeHooks hooks;
    h.session->use_extensions({}, &hooks);
    h.session->start({"/a"});
    refuse_handshake(h, "403::Handshake denied",
                     R"(,"ext":{"sfdc":{"failureReason":"401::Authentication invalid"}})");
    CHECK(hooks.calls == 1);
  }
  SUBCASE("an org limit is fatal, never retried") {
    Harness h;
    FakeHooks hooks;
    h.session->use_extensions({}, &hooks);
    h.session->start({"/a"});
    refuse_handshake(h, "403::Handshake denied",
                     R"(,"ext":{"sfdc":{"failureReason":"403::Organization concurrent user limit exceeded"}})");
    REQUIRE(h.listener.fatal);
    CHECK(h.listener.fatal->first == ExitCode::unavailable);
    CHECK(hooks.calls == 0);
  }
}

TEST_CASE("at most 3 credential refreshes in 10 minutes") {
  Harness h;
  FakeHooks hooks;
  h.session->use_extensions({}, &hooks);
  h.session->start({"/a"});
  for (int round = 1; round <= 4 && !h.listener.fatal; ++round) {
    refuse_handshake(h, "401::Authentication invalid");
    if (h.listener.fatal) {
      break;
    }
    hooks.finish(true);
    h.handshake_ok();  // the new credentials work ...
    h.ok(Lane::request);
    h.ok(Lane::connect);  // ... the session is healthy: a later failure is a new episode
    h.scheduler.advance(60s);
    // The next failure: re-handshake refused again.
    auto c = h.t().take(Lane::connect);
    h.t().listener().on_batch(c.tag, R"([{"id":")" + field(c.body, 0, "id") +
                                         R"(","channel":"/meta/connect","successful":false,"error":"402::session_unknown","advice":{"reconnect":"handshake"}}])");
    h.scheduler.advance(1s);
  }
  CHECK(hooks.calls == 3);
  REQUIRE(h.listener.fatal);
  CHECK(h.listener.fatal->second.find("3 times in 10 minutes") != std::string::npos);
}

TEST_CASE("the handshake ext merges --handshake-ext, the auth source's ext and the built-ins") {
  SessionOptions o;
  o.handshake_ext = R"({"app":{"v":1}})";
  Harness h(o);
  FakeHooks hooks;
  hooks.ext = R"("auth":{"token":"t"})";
  struct Tagger final : MessageExtension {
    std::string_view name() const override { return "tagger"; }
    void outgoing(const OutgoingMessage& m, std::string& ext) override {
      if (m.channel == "/meta/handshake") {
        ext += ext.empty() ? "" : ",";
        ext += R"("tag":true)";
      }
    }
    void incoming(const MessageView&) override {}
  } tagger;
  h.session->use_extensions({&tagger}, &hooks);
  h.session->start({"/a"});
  CHECK(field(h.t().sent.front().body, 0, "ext") ==
        R"({"app":{"v":1},"auth":{"token":"t"},"tag":true})");
}

TEST_SUITE_END();
