#include "session/health.hpp"

#include <spdlog/spdlog.h>

#include "duration.hpp"
#include "session/reconnect_policy.hpp"

namespace cometd {

Health::Health(Scheduler& scheduler, std::string url, Millis timeout, Millis reconnect_timeout,
               GiveUpFn give_up)
    : scheduler_(scheduler),
      url_(std::move(url)),
      timeout_(timeout),
      reconnect_timeout_(reconnect_timeout),
      give_up_(std::move(give_up)),
      give_up_timer_(scheduler),
      stall_timer_(scheduler) {}

bool Health::failed(std::string why) {
  last_failure_ = std::move(why);
  const bool begins_loss = ever_healthy_ && !lost_;
  lost_ = ever_healthy_;
  if (!unhealthy_since_) {
    unhealthy_since_ = scheduler_.now();
    if (!paused_) {
      arm_give_up();
    }
  }
  return begins_loss;
}

void Health::recovered() {
  if (lost_ && unhealthy_since_) {
    unreported_ = Recovery{
        std::chrono::duration_cast<Millis>(scheduler_.now() - *unhealthy_since_), new_session_};
  }
  lost_ = false;
  new_session_ = false;
  unhealthy_since_.reset();
  give_up_timer_.cancel();
  ever_healthy_ = true;
  stalled_too_long_ = false;
}

std::optional<Health::Recovery> Health::take_recovery() {
  auto out = unreported_;
  unreported_.reset();
  return out;
}

void Health::arm_give_up() {
  const auto rule = give_up_rule(ever_healthy_, timeout_, reconnect_timeout_);
  if (!rule || !unhealthy_since_) {
    return;
  }
  const auto spent = std::chrono::duration_cast<Millis>(scheduler_.now() - *unhealthy_since_);
  give_up_timer_.arm(std::max(Millis{0}, rule->after - spent), [this, rule = *rule] {
    const std::string limit = format_duration(rule.after);
    give_up_(rule.code, rule.code == ExitCode::connection_lost
                            ? "connection to " + url_ + " lost and not re-established within " +
                                  limit + ": " + last_failure_
                            : "could not connect to " + url_ + " within " + limit + ": " +
                                  last_failure_);
  });
}

void Health::pause(Millis expiry) {
  if (paused_) {
    return;
  }
  paused_ = true;
  stalled_since_ = scheduler_.now();
  give_up_timer_.cancel();  // time stalled by the reader never counts against --timeout
  // Warn before the stall outlasts the server's patience: it expires a session that has no
  // /meta/connect pending for its maxInterval.
  stall_timer_.arm(expiry * 3 / 4, [this, expiry] {
    stalled_too_long_ = true;
    spdlog::warn(
        "output stalled {}; the server drops the session after ~{} without /meta/connect; "
        "messages may be lost (raise --max-pending, or read stdout faster)",
        format_duration(expiry * 3 / 4), format_duration(expiry));
  });
}

void Health::resume() {
  if (!paused_) {
    return;
  }
  paused_ = false;
  stall_timer_.cancel();
  if (unhealthy_since_) {
    *unhealthy_since_ += scheduler_.now() - stalled_since_;
    arm_give_up();
  }
}

}  // namespace cometd
