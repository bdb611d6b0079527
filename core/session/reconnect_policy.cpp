#include "session/reconnect_policy.hpp"

#include <algorithm>

namespace cometd {

namespace {

using namespace std::chrono_literals;

// INTERFACE.md, "Reconnecting"
constexpr Millis k_unreachable_pace{1000};        // while the server refuses: every 1 s ± 50 %
constexpr auto k_unreachable_fast_for = 30s;      // ... for the first 30 s of the outage
constexpr Millis k_rehandshake_jitter{500};       // a lost session: again within 0-500 ms
constexpr auto k_young_session = 10s;             // a session that dies this young ...
constexpr int k_storm_deaths = 3;                 // ... three times in a row is a storm
constexpr auto k_long_healthy_stretch = 10s;      // a failure after this starts afresh
// PROTOCOL.md §4: a connect failing for longer than the server keeps a session is hopeless.
constexpr Millis k_default_hold{60000};
constexpr Millis k_default_max_interval{10000};

}  // namespace

std::optional<GiveUp> give_up_rule(bool ever_healthy, Millis timeout, Millis reconnect_timeout) {
  if (!ever_healthy) {
    return timeout.count() > 0 ? std::optional<GiveUp>({timeout, ExitCode::unavailable})
                               : std::nullopt;
  }
  return reconnect_timeout.count() > 0
             ? std::optional<GiveUp>({reconnect_timeout, ExitCode::connection_lost})
             : std::nullopt;
}

ReconnectPolicy::ReconnectPolicy(std::function<double()> random01)
    : random01_(random01), backoff_(std::move(random01)) {}

void ReconnectPolicy::handshaken(TimePoint now) {
  handshake_at_ = now;
  last_connect_ok_ = now;
  reachable_ = true;
}

void ReconnectPolicy::connected(TimePoint now, bool held) {
  if (outage_start_) {
    outage_start_.reset();
    healthy_since_ = now;
    held_since_healthy_ = false;
  }
  last_connect_ok_ = now;
  if (held) {
    // A connect the server held proves the session sound: the storm (if any) is over.
    held_since_healthy_ = true;
    backoff_.reset();
    short_deaths_ = 0;
  }
}

void ReconnectPolicy::begin_outage(TimePoint now) {
  if (outage_start_) {
    return;
  }
  // Failures in quick succession keep the backoff growing (a storm); a failure after a long
  // healthy stretch, or after a held connect, is a new outage (a server restart).
  if (held_since_healthy_ || now - healthy_since_ >= k_long_healthy_stretch) {
    backoff_.reset();
  }
  outage_start_ = now;
}

Millis ReconnectPolicy::pace_unreachable(TimePoint now) {
  if (outage_start_ && now - *outage_start_ >= k_unreachable_fast_for) {
    return backoff_.next();
  }
  return Millis{static_cast<Millis::rep>(static_cast<double>(k_unreachable_pace.count()) *
                                         (0.5 + random01_()))};
}

Millis ReconnectPolicy::retry_pace(TimePoint now) {
  begin_outage(now);
  return pace_unreachable(now);
}

Decision ReconnectPolicy::failed(Step step, Trouble trouble, TimePoint now,
                                 const Advice& advice) {
  begin_outage(now);
  Decision d;
  switch (trouble) {
    case Trouble::refused_for_good:
    case Trouble::broken:
      d.action = Decision::Action::fatal;
      return d;
    case Trouble::session_unknown: {
      // Young deaths count toward a storm only while the server stayed reachable: a session
      // lost to a server restart is not the session's fault.
      const bool young = now - handshake_at_ < k_young_session && reachable_;
      short_deaths_ = young ? short_deaths_ + 1 : 0;
      d.action = Decision::Action::rehandshake;
      if (short_deaths_ >= k_storm_deaths) {
        d.delay = backoff_.next() + advice.interval;
        d.storm = !warned_storm_;
        warned_storm_ = true;
      } else {
        d.delay = backoff_.jitter(k_rehandshake_jitter);
      }
      return d;
    }
    case Trouble::unreachable:
      reachable_ = false;
      d.delay = pace_unreachable(now);
      break;
    case Trouble::transient:
      d.delay = backoff_.next();
      break;
    case Trouble::rejected:
      d.delay = backoff_.next() + advice.interval;
      break;
  }
  d.action = Decision::Action::retry;
  if (step == Step::connect) {
    if (trouble != Trouble::rejected) {
      d.delay += advice.interval;
    }
    // The server drops a session that has no connect pending for maxInterval: past that,
    // connecting again is pointless, a new handshake is needed.
    const Millis limit = advice.timeout.value_or(k_default_hold) + advice.interval +
                         advice.max_interval.value_or(k_default_max_interval);
    const auto unconnected = std::chrono::duration_cast<Millis>(now - last_connect_ok_);
    if (unconnected + d.delay > limit) {
      d.action = Decision::Action::rehandshake;
    }
  }
  return d;
}

}  // namespace cometd
