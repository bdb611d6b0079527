#include <doctest/doctest.h>

#include <functional>

#include "session/reconnect_policy.hpp"

using namespace cometd;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("reconnect");

namespace {

using Action = Decision::Action;

/// A policy in virtual time with a constant random number, starting with a session that was
/// handshaken and connected "now".
struct Policy {
  explicit Policy(double random) : policy([random] { return random; }) {
    advice.timeout = 30s;  // as servers advise it: the connect limit is 30 + 0 + 10 s
    policy.handshaken(t);
    policy.connected(t, false);
  }
  ReconnectPolicy policy;
  Scheduler::Clock::time_point t{std::chrono::hours(1)};
  Advice advice;

  void after(Millis ms) { t += ms; }
  Decision fail(Step step, Trouble trouble) { return policy.failed(step, trouble, t, advice); }
  /// A session that dies young: handshaken, one second, unknown.
  void young_death() {
    policy.handshaken(t);
    after(1s);
    fail(Step::connect, Trouble::session_unknown);
  }
};

}  // namespace

TEST_CASE("the reconnect rules, one row per case") {
  struct Row {
    const char* name;
    double random;
    std::function<void(Policy&)> history;
    Step step;
    Trouble trouble;
    Action action;
    Millis delay;
    bool storm;
  };
  const auto none = [](Policy&) {};
  const Row rows[] = {
      // While the server refuses or resets connections (down, restarting): every 1 s ± 50 %.
      {"refused connect", 0.5, none, Step::connect, Trouble::unreachable, Action::retry, 1000ms,
       false},
      {"refused connect, low end of the jitter", 0.0, none, Step::connect,
       Trouble::unreachable, Action::retry, 500ms, false},
      {"refused connect, high end of the jitter", 0.999, none, Step::connect,
       Trouble::unreachable, Action::retry, 1499ms, false},
      {"refused handshake", 0.5, none, Step::handshake, Trouble::unreachable, Action::retry,
       1000ms, false},
      {"refused for the 10th time in 10 s: still every second", 0.5,
       [](Policy& p) {
         for (int i = 0; i < 9; ++i) {
           p.fail(Step::handshake, Trouble::unreachable);
           p.after(1s);
         }
       },
       Step::handshake, Trouble::unreachable, Action::retry, 1000ms, false},
      {"refused after 30 s of outage: exponential, from 1 s", 0.5,
       [](Policy& p) {
         p.fail(Step::handshake, Trouble::unreachable);
         p.after(30s);
       },
       Step::handshake, Trouble::unreachable, Action::retry, 750ms, false},
      // Timeouts, 5xx and rejections: exponential from 1 s, b/2 + rand(0, b/2), to 30 s.
      {"first timeout", 0.5, none, Step::connect, Trouble::transient, Action::retry, 750ms,
       false},
      {"third timeout in a row", 0.5,
       [](Policy& p) {
         p.fail(Step::connect, Trouble::transient);
         p.fail(Step::connect, Trouble::transient);
       },
       Step::connect, Trouble::transient, Action::retry, 3000ms, false},
      {"the backoff stops growing at 30 s", 0.999,
       [](Policy& p) {
         for (int i = 0; i < 10; ++i) {
           p.fail(Step::handshake, Trouble::transient);
         }
       },
       Step::handshake, Trouble::transient, Action::retry, 29985ms, false},
      {"a rejected connect waits the backoff plus advice.interval", 0.5,
       [](Policy& p) { p.advice.interval = 2000ms; }, Step::connect, Trouble::rejected,
       Action::retry, 2750ms, false},
      {"a timeout soon after a short recovery: the backoff keeps growing", 0.5,
       [](Policy& p) {
         p.fail(Step::connect, Trouble::transient);
         p.fail(Step::connect, Trouble::transient);
         p.policy.connected(p.t, false);
         p.after(1s);
       },
       Step::connect, Trouble::transient, Action::retry, 3000ms, false},
      {"a timeout after 10 s of health: a new outage, from 1 s", 0.5,
       [](Policy& p) {
         p.fail(Step::connect, Trouble::transient);
         p.fail(Step::connect, Trouble::transient);
         p.policy.connected(p.t, false);
         p.after(10s);
       },
       Step::connect, Trouble::transient, Action::retry, 750ms, false},
      {"a timeout after a held connect: from 1 s", 0.5,
       [](Policy& p) {
         p.fail(Step::connect, Trouble::transient);
         p.fail(Step::connect, Trouble::transient);
         p.after(1s);
         p.policy.connected(p.t, true);
       },
       Step::connect, Trouble::transient, Action::retry, 750ms, false},
      {"a connect failing past timeout + interval + maxInterval: handshake instead", 0.5,
       [](Policy& p) { p.after(39500ms); }, Step::connect, Trouble::transient,
       Action::rehandshake, 750ms, false},
      // A session the server no longer knows: handshaken again within 0-500 ms, any age.
      {"unknown session, 2 s old", 0.5, [](Policy& p) { p.after(2s); }, Step::connect,
       Trouble::session_unknown, Action::rehandshake, 250ms, false},
      {"unknown session, 2 s old, low end of the jitter", 0.0, [](Policy& p) { p.after(2s); },
       Step::connect, Trouble::session_unknown, Action::rehandshake, 0ms, false},
      {"unknown session, 60 s old", 0.5, [](Policy& p) { p.after(60s); }, Step::connect,
       Trouble::session_unknown, Action::rehandshake, 250ms, false},
      {"the second young death in a row is no storm yet", 0.5,
       [](Policy& p) { p.young_death(); }, Step::connect, Trouble::session_unknown,
       Action::rehandshake, 250ms, false},
      {"the third young death in a row: the storm guard, warned", 0.5,
       [](Policy& p) {
         p.young_death();
         p.young_death();
         p.policy.handshaken(p.t);
         p.after(1s);
       },
       Step::connect, Trouble::session_unknown, Action::rehandshake, 750ms, true},
      {"the fourth: the backoff grows, warned once only", 0.5,
       [](Policy& p) {
         p.young_death();
         p.young_death();
         p.young_death();
         p.policy.handshaken(p.t);
         p.after(1s);
       },
       Step::connect, Trouble::session_unknown, Action::rehandshake, 1500ms, false},
      {"young deaths while the server was unreachable are restarts, not a storm", 0.5,
       [](Policy& p) {
         for (int i = 0; i < 3; ++i) {
           p.policy.handshaken(p.t);
           p.after(1s);
           p.fail(Step::connect, Trouble::unreachable);
           p.after(1s);
           p.fail(Step::connect, Trouble::session_unknown);
         }
         p.policy.handshaken(p.t);
         p.after(1s);
         p.fail(Step::connect, Trouble::unreachable);
         p.after(1s);
       },
       Step::connect, Trouble::session_unknown, Action::rehandshake, 250ms, false},
      {"a death at 10 s breaks the row", 0.5,
       [](Policy& p) {
         p.young_death();
         p.young_death();
         p.policy.handshaken(p.t);
         p.after(10s);
         p.fail(Step::connect, Trouble::session_unknown);
         p.policy.handshaken(p.t);
         p.after(1s);
       },
       Step::connect, Trouble::session_unknown, Action::rehandshake, 250ms, false},
      // Nothing to retry.
      {"advice reconnect none", 0.5, none, Step::connect, Trouble::refused_for_good,
       Action::fatal, 0ms, false},
      {"a TLS failure or an endpoint that is not Bayeux", 0.5, none, Step::handshake,
       Trouble::broken, Action::fatal, 0ms, false},
  };
  for (const auto& row : rows) {
    CAPTURE(row.name);
    Policy p(row.random);
    row.history(p);
    const Decision d = p.fail(row.step, row.trouble);
    CHECK(d.action == row.action);
    CHECK(d.delay == row.delay);
    CHECK(d.storm == row.storm);
  }
}

TEST_CASE("a request the server could not take is paced like a refused connect") {
  Policy p(0.5);
  CHECK(p.policy.retry_pace(p.t) == 1000ms);
  CHECK(p.policy.in_outage());
  p.after(31s);
  CHECK(p.policy.retry_pace(p.t) == 750ms);
  p.policy.connected(p.t, false);
  CHECK_FALSE(p.policy.in_outage());
}

TEST_CASE("--timeout: when the run gives up") {
  struct Row {
    bool ever_healthy;
    Millis timeout;
    Millis reconnect_timeout;
    std::optional<GiveUp> expected;
  };
  const Row rows[] = {
      {false, 10s, 0s, GiveUp{10s, ExitCode::unavailable}},  // never connected: 69
      {false, 0s, 0s, std::nullopt},                          // 0: never
      {true, 10s, 0s, std::nullopt},                          // subscribe without --timeout
      {true, 10s, 10s, GiveUp{10s, ExitCode::connection_lost}},  // publish, or --timeout: 75
      {true, 0s, 0s, std::nullopt},
  };
  for (const auto& row : rows) {
    CAPTURE(row.ever_healthy);
    CAPTURE(row.reconnect_timeout.count());
    const auto rule = give_up_rule(row.ever_healthy, row.timeout, row.reconnect_timeout);
    REQUIRE(rule.has_value() == row.expected.has_value());
    if (rule) {
      CHECK(rule->after == row.expected->after);
      CHECK(rule->code == row.expected->code);
    }
  }
}

TEST_SUITE_END();
