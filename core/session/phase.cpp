#include "session/phase.hpp"

#include <algorithm>

namespace cometd {

namespace {

constexpr unsigned bit(Phase phase) { return 1U << static_cast<unsigned>(phase); }

/// The moves out of each phase, as bits of the phases allowed next.
constexpr unsigned moves_from(Phase from) {
  switch (from) {
    case Phase::idle:
      return bit(Phase::handshaking) | bit(Phase::disconnecting) | bit(Phase::failed);
    case Phase::handshaking:
      return bit(Phase::connected) | bit(Phase::awaiting_credentials) |
             bit(Phase::disconnecting) | bit(Phase::failed);
    case Phase::awaiting_credentials:
      return bit(Phase::handshaking) | bit(Phase::disconnecting) | bit(Phase::failed);
    case Phase::connected:
      return bit(Phase::handshaking) | bit(Phase::awaiting_credentials) |
             bit(Phase::disconnecting) | bit(Phase::failed);
    case Phase::failed:
      return bit(Phase::disconnecting);
    case Phase::disconnecting:
      return bit(Phase::closed);
    case Phase::closed:
      return 0;
  }
  return 0;
}

}  // namespace

std::string_view phase_name(Phase phase) {
  switch (phase) {
    case Phase::idle:
      return "idle";
    case Phase::handshaking:
      return "handshaking";
    case Phase::awaiting_credentials:
      return "awaiting credentials";
    case Phase::connected:
      return "connected";
    case Phase::disconnecting:
      return "disconnecting";
    case Phase::closed:
      return "closed";
    case Phase::failed:
      return "failed";
  }
  return "?";
}

bool may_move(Phase from, Phase to) { return from == to || (moves_from(from) & bit(to)) != 0; }

bool PhaseMachine::ending() const {
  return phase_ == Phase::disconnecting || phase_ == Phase::closed || phase_ == Phase::failed;
}

bool PhaseMachine::move(Phase to) {
  if (!may_move(phase_, to)) {
    return false;
  }
  phase_ = to;
  // A copy: a cancelled timer's owner may not add or remove timers, but be safe anyway.
  const std::vector<PhaseTimer*> timers = timers_;
  for (PhaseTimer* timer : timers) {
    if (!timer->lives_in(to)) {
      timer->cancel();
    }
  }
  return true;
}

PhaseTimer::PhaseTimer(PhaseMachine& machine, std::initializer_list<Phase> phases)
    : machine_(machine), timer_(machine.scheduler()) {
  for (const Phase phase : phases) {
    phases_ |= bit(phase);
  }
  machine_.timers_.push_back(this);
}

PhaseTimer::~PhaseTimer() {
  auto& timers = machine_.timers_;
  timers.erase(std::remove(timers.begin(), timers.end(), this), timers.end());
}

bool PhaseTimer::lives_in(Phase phase) const { return (phases_ & bit(phase)) != 0; }

bool PhaseTimer::arm(Scheduler::Millis delay, std::function<void()> fn) {
  if (!lives_in(machine_.phase())) {
    return false;
  }
  timer_.arm(delay, std::move(fn));
  return true;
}

}  // namespace cometd
