#include <doctest/doctest.h>

#include "bayeux/advice.hpp"
#include "bayeux/errors.hpp"
#include "session/backoff.hpp"

using namespace cometd;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("advice");

TEST_CASE("the last advice wins; absent fields keep their value, reconnect defaults to retry") {
  Advice advice;
  AdviceFields first;
  first.present = true;
  first.reconnect = Reconnect::handshake;
  first.timeout_ms = 30000;
  first.interval_ms = 0;
  advice.apply(first);
  CHECK(advice.reconnect == Reconnect::handshake);
  CHECK(advice.timeout == 30000ms);
  AdviceFields second;
  second.present = true;
  second.interval_ms = 2000;
  advice.apply(second);
  CHECK(advice.reconnect == Reconnect::retry);
  CHECK(advice.interval == 2000ms);
  CHECK(advice.timeout == 30000ms);
  AdviceFields absent;
  advice.apply(absent);
  CHECK(advice.interval == 2000ms);
}

TEST_CASE("error strings: code, args, text") {
  struct Row {
    const char* error;
    int code;
    const char* args;
    const char* text;
  };
  const Row rows[] = {
      {"402::session_unknown", 402, "", "session_unknown"},
      {"401:5k79:Unknown client", 401, "5k79", "Unknown client"},
      {"403::Handshake denied", 403, "", "Handshake denied"},
      {"403:/a:Forbidden channel", 403, "/a", "Forbidden channel"},
      {"301:websocket:Connection types not supported", 301, "websocket",
       "Connection types not supported"},
      {"no code here", 0, "", "no code here"},
      {"abc:def", 0, "", "abc:def"},
      {"", 0, "", ""},
  };
  for (const auto& row : rows) {
    CAPTURE(row.error);
    const auto e = parse_bayeux_error(row.error);
    CHECK(e.code == row.code);
    CHECK(e.args == row.args);
    CHECK(e.text == row.text);
  }
}

TEST_CASE("the unknown-session family is recognised by its text, whatever the code") {
  CHECK(is_unknown_session_error("402::session_unknown"));
  CHECK(is_unknown_session_error("402::unknown_session"));
  CHECK(is_unknown_session_error("402::Unknown client"));
  CHECK(is_unknown_session_error("401:abc:Unknown client"));
  CHECK(is_unknown_session_error("403::Unknown client"));
  CHECK_FALSE(is_unknown_session_error("403::Handshake denied"));
  CHECK(is_auth_error("401::Authentication invalid"));
  CHECK(is_auth_error("403::publish_denied"));
  CHECK_FALSE(is_auth_error("402::session_unknown"));
}

TEST_CASE("backoff doubles from 1 s to a 30 s cap, jittered between b/2 and b") {
  double r = 0.0;
  Backoff backoff([&r] { return r; });
  CHECK(backoff.next() == 500ms);
  CHECK(backoff.next() == 1000ms);
  CHECK(backoff.next() == 2000ms);
  r = 0.999;
  CHECK(backoff.next() >= 7900ms);
  for (int i = 0; i < 10; ++i) {
    backoff.next();
  }
  CHECK(backoff.base() == 30000ms);
  CHECK(backoff.next() <= 30000ms);
  backoff.reset();
  CHECK(backoff.base() == 1000ms);
  r = 0.5;
  CHECK(backoff.jitter(500ms) == 250ms);
}

TEST_SUITE_END();
