// The session's phases and the moves allowed between them (the CometD Java client's
// BayeuxClient.State, one verb per move). Timers belong to phases: leaving a phase cancels
// every timer that does not live in the next one, so no stale timer can act in the wrong phase.
#pragma once

#include <chrono>
#include <functional>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "session/scheduler.hpp"

namespace cometd {

enum class Phase {
  idle,                  ///< not started
  handshaking,           ///< no session: a handshake is due, scheduled or in flight
  awaiting_credentials,  ///< the auth source is refreshing the credentials
  connected,             ///< a session exists (clientId); the connect loop runs
  disconnecting,         ///< /meta/disconnect sent, or the transport being torn down
  closed,                ///< done; nothing more happens
  failed,                ///< a fatal error was reported; the driver ends the run
};

std::string_view phase_name(Phase phase);

/// Whether the session may move from `from` to `to` (staying in a phase is always allowed).
bool may_move(Phase from, Phase to);

class PhaseTimer;

class PhaseMachine {
 public:
  explicit PhaseMachine(Scheduler& scheduler) : scheduler_(scheduler) {}
  PhaseMachine(const PhaseMachine&) = delete;
  PhaseMachine& operator=(const PhaseMachine&) = delete;

  Phase phase() const { return phase_; }
  bool in(Phase phase) const { return phase_ == phase; }
  /// disconnecting, closed or failed: nothing new is started.
  bool ending() const;
  /// Moves to `to` if the table allows it (false otherwise, and nothing changes); the timers
  /// that do not live in `to` are cancelled.
  bool move(Phase to);
  Scheduler& scheduler() const { return scheduler_; }

 private:
  friend class PhaseTimer;
  Phase phase_ = Phase::idle;
  Scheduler& scheduler_;
  std::vector<PhaseTimer*> timers_;
};

/// A one-shot timer of some phases: arming it in another phase does nothing, leaving them
/// cancels it. Arming replaces; destruction cancels.
class PhaseTimer {
 public:
  PhaseTimer(PhaseMachine& machine, std::initializer_list<Phase> phases);
  ~PhaseTimer();
  PhaseTimer(const PhaseTimer&) = delete;
  PhaseTimer& operator=(const PhaseTimer&) = delete;

  /// False (and not armed) when the current phase is not one of the timer's.
  bool arm(Scheduler::Millis delay, std::function<void()> fn);
  void cancel() { timer_.cancel(); }
  bool armed() const { return timer_.armed(); }
  bool lives_in(Phase phase) const;

 private:
  PhaseMachine& machine_;
  unsigned phases_ = 0;  // bit per Phase
  Timer timer_;
};

}  // namespace cometd
