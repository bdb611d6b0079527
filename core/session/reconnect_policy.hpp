// The reconnect rules of INTERFACE.md ("Reconnecting", --timeout) and PROTOCOL.md §4-§5, in one
// place and free of I/O: given how a step failed and what came before, what to do next and
// when. The session executes the decisions; tests drive the rules as tables.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "bayeux/advice.hpp"
#include "exit_code.hpp"
#include "session/backoff.hpp"
#include "session/scheduler.hpp"

namespace cometd {

/// How a handshake or a connect failed, as far as reconnecting cares.
enum class Trouble {
  unreachable,      ///< TCP refused or reset, DNS: the server is down or restarting
  transient,        ///< a deadline, HTTP 5xx or 429: the server is there but not answering
  rejected,         ///< an unsuccessful reply with advice retry (or none given)
  session_unknown,  ///< the server no longer knows the session (402, Unknown client, advice
                    ///< handshake)
  refused_for_good, ///< advice reconnect none
  broken,           ///< not worth retrying: TLS failure, an HTTP 4xx that is not Bayeux
};

/// What failed: the handshake, or the connect of an established session.
enum class Step { handshake, connect };

struct Decision {
  enum class Action { retry, rehandshake, fatal };
  Action action = Action::retry;
  Millis delay{0};
  /// The storm guard engaged for the first time (sessions keep dying young): warn once.
  bool storm = false;
};

/// When the run gives up while unhealthy (--timeout): after `after`, with `code`.
struct GiveUp {
  Millis after;
  ExitCode code;
};

/// --timeout as INTERFACE.md says: `timeout` bounds the first connection (69); once it worked,
/// `reconnect_timeout` bounds an outage (75). 0 = never.
std::optional<GiveUp> give_up_rule(bool ever_healthy, Millis timeout, Millis reconnect_timeout);

class ReconnectPolicy {
 public:
  using TimePoint = Scheduler::Clock::time_point;

  /// `random01` returns a uniform number in [0, 1); injected so that tests are deterministic.
  explicit ReconnectPolicy(std::function<double()> random01);

  /// A handshake succeeded at `now`: a new session begins.
  void handshaken(TimePoint now);
  /// A /meta/connect succeeded at `now` (`held`: the server held it, proof of a sound session);
  /// the outage, if any, is over.
  void connected(TimePoint now, bool held);
  /// `step` failed with `trouble` at `now`, under `advice`: what to do next.
  Decision failed(Step step, Trouble trouble, TimePoint now, const Advice& advice);
  /// The wait before another try of a request that could not reach the server (a publish on
  /// the request lane while the server is down): the same pace as the connect's.
  Millis retry_pace(TimePoint now);
  /// Whether an outage is going on (between a failure and the next successful connect).
  bool in_outage() const { return outage_start_.has_value(); }

 private:
  void begin_outage(TimePoint now);
  Millis pace_unreachable(TimePoint now);

  std::function<double()> random01_;
  Backoff backoff_;
  std::optional<TimePoint> outage_start_;
  TimePoint healthy_since_{};
  TimePoint handshake_at_{};
  TimePoint last_connect_ok_{};
  bool held_since_healthy_ = false;  // a held connect in the current healthy stretch
  bool reachable_ = true;            // no unreachable failure since the handshake
  int short_deaths_ = 0;             // sessions in a row that died young, server reachable
  bool warned_storm_ = false;
};

}  // namespace cometd
