// Credential refresh after an authentication failure (PROTOCOL.md §10): at most one refresh per
// failure episode, at most 3 in 10 minutes, never from a timer or a retry loop.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <string>

#include "session/hooks.hpp"
#include "session/scheduler.hpp"

namespace cometd {

class CredentialRefresh {
 public:
  using TimePoint = Scheduler::Clock::time_point;

  /// What to do about an authentication failure.
  enum class Verdict {
    refresh,     ///< run the auth source, then handshake again
    in_progress, ///< a refresh is already running: wait for it
    no_source,   ///< no auth source: fatal (77)
    again,       ///< the fresh credentials were refused too: fatal (77)
    budget,      ///< 3 refreshes in 10 minutes already: fatal (77)
  };

  explicit CredentialRefresh(const BatchHooks* hooks) : hooks_(hooks) {}
  void use(const BatchHooks* hooks) { hooks_ = hooks; }

  bool has_source() const { return hooks_ != nullptr && hooks_->can_authenticate(); }
  /// A refresh is allowed now (a source exists; no refresh is on probation, or the last one
  /// worked for a minute, which makes a new failure a new episode).
  bool may_refresh(TimePoint now);
  /// Decides about a failure at `now`; `refresh` records the run, and the caller starts it.
  Verdict on_failure(TimePoint now);
  /// The message of a fatal verdict: `what` failed, and why no refresh helps.
  static std::string fatal_message(Verdict verdict, const std::string& what);
  /// The refresh ended; on success the next failure is final until the credentials worked.
  void refreshed(bool ok, TimePoint now);
  /// A connect succeeded with the current credentials.
  void worked() { worked_ = true; }
  bool refreshing() const { return refreshing_; }

 private:
  const BatchHooks* hooks_;
  bool refreshing_ = false;
  bool on_probation_ = false;  // fresh credentials: one more failure is final
  bool worked_ = false;        // a connect succeeded since the last refresh
  TimePoint refreshed_at_{};
  std::deque<TimePoint> runs_;  // at most 3 in 10 minutes
};


}  // namespace cometd
