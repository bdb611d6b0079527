// The session's health: the give-up clock of --timeout, the outage a status line reports, and
// the stalls of a slow stdout reader (PROTOCOL.md §5, §11). Every call on the io thread.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "exit_code.hpp"
#include "session/scheduler.hpp"

namespace cometd {

class Health {
 public:
  using Millis = std::chrono::milliseconds;
  /// Runs when the run should give up: the exit code and the message for stderr.
  using GiveUpFn = std::function<void(ExitCode code, std::string message)>;

  /// `timeout`: how long to try before the first connection; `reconnect_timeout`: how long an
  /// outage may last once connected (0 = never give up). `url` names the server in messages.
  Health(Scheduler& scheduler, std::string url, Millis timeout, Millis reconnect_timeout,
         GiveUpFn give_up);
  Health(const Health&) = delete;
  Health& operator=(const Health&) = delete;

  /// An outage of a connection that had worked, once it is over.
  struct Recovery {
    Millis outage{0};
    bool new_session = false;  ///< the server had lost the session: it was handshaken again
  };

  /// Something failed (`why`, for the give-up message): the clock runs from the first failure.
  /// True when this failure begins the loss of a connection that had worked.
  bool failed(std::string why);
  /// The server lost the session: a new one is being made.
  void new_session() { new_session_ = new_session_ || lost_; }
  /// A connect (or, without the connect loop, the handshake) succeeded: the outage, if any, is
  /// over, and kept for take_recovery().
  void recovered();
  /// The outage that recovered() ended, once (for the status line).
  std::optional<Recovery> take_recovery();

  bool ever_healthy() const { return ever_healthy_; }
  bool healthy() const { return !unhealthy_since_; }
  const std::string& last_failure() const { return last_failure_; }

  /// --max-pending: stdout cannot keep up. Stall time never counts against --timeout; at 75 %
  /// of `expiry` (how long the server keeps a session without a connect) a warning is logged.
  void pause(Millis expiry);
  void resume();
  bool paused() const { return paused_; }
  /// The stall warning fired, and no connect has succeeded since: the session may be gone.
  bool stalled_too_long() const { return stalled_too_long_; }

 private:
  void arm_give_up();

  Scheduler& scheduler_;
  std::string url_;
  Millis timeout_;
  Millis reconnect_timeout_;
  GiveUpFn give_up_;
  std::optional<Scheduler::Clock::time_point> unhealthy_since_;
  bool ever_healthy_ = false;
  bool lost_ = false;  // a connection that had worked is down
  bool new_session_ = false;
  std::optional<Recovery> unreported_;
  std::string last_failure_;
  bool paused_ = false;
  Scheduler::Clock::time_point stalled_since_{};
  bool stalled_too_long_ = false;
  Timer give_up_timer_;
  Timer stall_timer_;
};

}  // namespace cometd
