// Timers for the io thread, behind an interface so that tests run in virtual time.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

namespace asio {
class io_context;
}

namespace cometd {

using Millis = std::chrono::milliseconds;

class Scheduler {
 public:
  using Clock = std::chrono::steady_clock;
  using Millis = std::chrono::milliseconds;
  using TimerId = std::uint64_t;

  virtual ~Scheduler() = default;
  virtual Clock::time_point now() const = 0;
  /// Runs `fn` on the io thread after `delay`; the id is never 0.
  virtual TimerId run_after(Millis delay, std::function<void()> fn) = 0;
  /// Cancels a timer; a no-op when it already fired or was cancelled.
  virtual void cancel(TimerId id) = 0;
};

/// One pending timer owned by its user: arming replaces, destruction cancels.
class Timer {
 public:
  explicit Timer(Scheduler& scheduler) : scheduler_(&scheduler) {}
  ~Timer() { cancel(); }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;

  void arm(Scheduler::Millis delay, std::function<void()> fn);
  void cancel();
  bool armed() const { return id_ != 0; }

 private:
  Scheduler* scheduler_;
  Scheduler::TimerId id_ = 0;
};

/// asio::steady_timer on the given io_context.
class AsioScheduler final : public Scheduler {
 public:
  explicit AsioScheduler(asio::io_context& io);
  ~AsioScheduler() override;
  Clock::time_point now() const override { return Clock::now(); }
  TimerId run_after(Millis delay, std::function<void()> fn) override;
  void cancel(TimerId id) override;

 private:
  struct Entry;
  void fire(TimerId id);

  asio::io_context& io_;
  std::shared_ptr<bool> alive_;  // guards posted zero-delay timers against a gone scheduler
  TimerId next_id_ = 1;
  std::unordered_map<TimerId, std::unique_ptr<Entry>> timers_;
};

}  // namespace cometd
