// Virtual time for session tests: timers fire only when the test advances the clock.
#pragma once

#include <functional>
#include <map>
#include <utility>

#include "session/scheduler.hpp"

namespace cometd::test {

class FakeScheduler final : public Scheduler {
 public:
  Clock::time_point now() const override { return now_; }

  TimerId run_after(Millis delay, std::function<void()> fn) override {
    const TimerId id = next_id_++;
    timers_.emplace(std::make_pair(now_ + delay, id), std::move(fn));
    return id;
  }

  void cancel(TimerId id) override {
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->first.second == id) {
        timers_.erase(it);
        return;
      }
    }
  }

  /// Moves the clock forward by `delay`, running every timer that falls due, in order.
  void advance(Millis delay) {
    const auto until = now_ + delay;
    while (!timers_.empty() && timers_.begin()->first.first <= until) {
      auto it = timers_.begin();
      now_ = it->first.first;
      auto fn = std::move(it->second);
      timers_.erase(it);
      fn();
    }
    now_ = until;
  }

  /// Runs what is due now (zero-delay timers).
  void run_ready() { advance(Millis{0}); }

  std::size_t pending() const { return timers_.size(); }

 private:
  Clock::time_point now_{std::chrono::hours(1)};
  TimerId next_id_ = 1;
  std::map<std::pair<Clock::time_point, TimerId>, std::function<void()>> timers_;
};

}  // namespace cometd::test
