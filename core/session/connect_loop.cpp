#include "session/connect_loop.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "duration.hpp"

namespace cometd {

namespace {

constexpr Millis k_default_hold{60000};  // before the server advised a timeout

}  // namespace

void StepState::schedule(Millis delay, std::function<void()> wake) {
  if (delay.count() <= 0) {
    timer_.cancel();
    due_ = true;
    return;
  }
  due_ = false;
  timer_.arm(delay, [this, wake = std::move(wake)] {
    due_ = true;
    wake();
  });
}

void StepState::sent() {
  due_ = false;
  in_flight_ = true;
}

void StepState::reset() {
  timer_.cancel();
  due_ = false;
  in_flight_ = false;
}

void ConnectLoop::restart() {
  attempt_.reset();
  first_ = true;
}

Millis ConnectLoop::deadline(const Advice& advice, Millis network_delay) const {
  if (first_) {
    return network_delay;  // sent with advice.timeout 0: never held
  }
  return advice.timeout.value_or(k_default_hold) + network_delay;
}

void ConnectLoop::sent(TimePoint now) {
  attempt_.sent();
  sent_at_ = now;
}

bool ConnectLoop::succeeded(TimePoint now, const Advice& advice) {
  attempt_.done();
  if (advice.multiple_clients && !warned_multiple_clients_) {
    warned_multiple_clients_ = true;
    spdlog::warn(
        "the server reports several clients on one browser cookie (multiple-clients); "
        "connects are slowed to every {}",
        format_duration(advice.interval));
  }
  const bool was_first = first_;
  first_ = false;
  // A connect the server held proves the session; a first one is never held.
  const Millis hold_proof = std::min(Millis{1000}, advice.timeout.value_or(Millis{0}) / 2);
  return !was_first && hold_proof.count() > 0 && now - sent_at_ >= hold_proof;
}

}  // namespace cometd
