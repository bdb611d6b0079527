// The small machines inside a phase: a step (the handshake, the connect) is idle, scheduled
// (a timer runs), due (sent as soon as the lane allows) or in flight; and the connect loop
// that keeps exactly one /meta/connect outstanding (PROTOCOL.md §2-§4).
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>

#include "bayeux/advice.hpp"
#include "session/phase.hpp"

namespace cometd {

class StepState {
 public:
  /// The timer lives in `phases`: leaving them cancels a scheduled attempt.
  StepState(PhaseMachine& machine, std::initializer_list<Phase> phases)
      : timer_(machine, phases) {}

  bool due() const { return due_; }
  bool in_flight() const { return in_flight_; }
  bool scheduled() const { return timer_.armed(); }
  bool idle() const { return !due_ && !in_flight_ && !scheduled(); }

  /// Due now (delay 0; the caller sends it), or after `delay`, when `wake` runs.
  void schedule(Millis delay, std::function<void()> wake);
  void sent();
  /// Its reply arrived, or it failed.
  void done() { in_flight_ = false; }
  /// Forgotten: not due, not scheduled, not awaited.
  void reset();

 private:
  bool due_ = false;
  bool in_flight_ = false;
  PhaseTimer timer_;
};

class ConnectLoop {
 public:
  using TimePoint = Scheduler::Clock::time_point;

  explicit ConnectLoop(PhaseMachine& machine) : attempt_(machine, {Phase::connected}) {}

  StepState& attempt() { return attempt_; }
  const StepState& attempt() const { return attempt_; }

  /// A new session: no connect is due or awaited; the next one is the first, never held.
  void restart();
  /// A new transport: the next connect is the first on it, never held by the server.
  void new_transport() { first_ = true; }
  bool first() const { return first_; }
  /// How long to wait for the reply: a first connect is answered at once, later ones are held
  /// for advice.timeout.
  Millis deadline(const Advice& advice, Millis network_delay) const;
  /// The connect left at `now`.
  void sent(TimePoint now);
  /// Its reply came at `now`, successful: whether the server held it (proof of a sound session,
  /// which resets the storm guard). Warns once on multiple-clients advice.
  bool succeeded(TimePoint now, const Advice& advice);

 private:
  StepState attempt_;
  bool first_ = true;
  TimePoint sent_at_{};
  bool warned_multiple_clients_ = false;
};

}  // namespace cometd
