#include <doctest/doctest.h>

#include "fake_scheduler.hpp"
#include "session/phase.hpp"

using namespace cometd;
using namespace cometd::test;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("phase");

TEST_CASE("the moves the phase machine allows") {
  using P = Phase;
  struct Row {
    Phase from;
    Phase to;
    bool allowed;
  };
  // Every pair is listed: a move missing here is a move nobody thought about.
  const Row rows[] = {
      {P::idle, P::handshaking, true},           {P::idle, P::awaiting_credentials, false},
      {P::idle, P::connected, false},            {P::idle, P::disconnecting, true},
      {P::idle, P::closed, false},               {P::idle, P::failed, true},
      {P::handshaking, P::idle, false},          {P::handshaking, P::awaiting_credentials, true},
      {P::handshaking, P::connected, true},      {P::handshaking, P::disconnecting, true},
      {P::handshaking, P::closed, false},        {P::handshaking, P::failed, true},
      {P::awaiting_credentials, P::idle, false}, {P::awaiting_credentials, P::handshaking, true},
      {P::awaiting_credentials, P::connected, false},
      {P::awaiting_credentials, P::disconnecting, true},
      {P::awaiting_credentials, P::closed, false}, {P::awaiting_credentials, P::failed, true},
      {P::connected, P::idle, false},            {P::connected, P::handshaking, true},
      {P::connected, P::awaiting_credentials, true}, {P::connected, P::disconnecting, true},
      {P::connected, P::closed, false},          {P::connected, P::failed, true},
      {P::disconnecting, P::idle, false},        {P::disconnecting, P::handshaking, false},
      {P::disconnecting, P::awaiting_credentials, false},
      {P::disconnecting, P::connected, false},   {P::disconnecting, P::closed, true},
      {P::disconnecting, P::failed, false},      {P::closed, P::idle, false},
      {P::closed, P::handshaking, false},        {P::closed, P::awaiting_credentials, false},
      {P::closed, P::connected, false},          {P::closed, P::disconnecting, false},
      {P::closed, P::failed, false},             {P::failed, P::idle, false},
      {P::failed, P::handshaking, false},        {P::failed, P::awaiting_credentials, false},
      {P::failed, P::connected, false},          {P::failed, P::disconnecting, true},
      {P::failed, P::closed, false},
  };
  CHECK(std::size(rows) == 7 * 6);
  for (const auto& row : rows) {
    CAPTURE(phase_name(row.from));
    CAPTURE(phase_name(row.to));
    CHECK(may_move(row.from, row.to) == row.allowed);
  }
  for (int p = 0; p <= static_cast<int>(Phase::failed); ++p) {
    CHECK(may_move(static_cast<Phase>(p), static_cast<Phase>(p)));  // staying is no move
  }
}

TEST_CASE("a refused move changes nothing") {
  FakeScheduler scheduler;
  PhaseMachine machine(scheduler);
  CHECK_FALSE(machine.move(Phase::connected));
  CHECK(machine.in(Phase::idle));
  CHECK(machine.move(Phase::handshaking));
  CHECK(machine.move(Phase::connected));
  CHECK(machine.move(Phase::disconnecting));
  CHECK(machine.ending());
  CHECK_FALSE(machine.move(Phase::handshaking));
  CHECK(machine.in(Phase::disconnecting));
}

TEST_CASE("a phase's timers die when the session leaves it") {
  FakeScheduler scheduler;
  PhaseMachine machine(scheduler);
  PhaseTimer handshake_retry(machine, {Phase::handshaking});
  PhaseTimer connect_retry(machine, {Phase::connected});
  PhaseTimer both(machine, {Phase::handshaking, Phase::connected});
  int fired = 0;
  SUBCASE("arming outside its phases does nothing") {
    CHECK_FALSE(handshake_retry.arm(1s, [&] { ++fired; }));
    scheduler.advance(2s);
    CHECK(fired == 0);
  }
  SUBCASE("leaving cancels, staying keeps") {
    machine.move(Phase::handshaking);
    CHECK(handshake_retry.arm(1s, [&] { ++fired; }));
    CHECK(both.arm(1s, [&] { fired += 10; }));
    machine.move(Phase::connected);
    CHECK_FALSE(handshake_retry.armed());
    CHECK(both.armed());
    scheduler.advance(2s);
    CHECK(fired == 10);
  }
  SUBCASE("failing cancels every timer") {
    machine.move(Phase::handshaking);
    machine.move(Phase::connected);
    CHECK(connect_retry.arm(1s, [&] { ++fired; }));
    CHECK(both.arm(1s, [&] { ++fired; }));
    machine.move(Phase::failed);
    scheduler.advance(2s);
    CHECK(fired == 0);
  }
}

TEST_SUITE_END();
