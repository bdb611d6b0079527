#include "scheduler.hpp"

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

namespace cometd {

void Timer::arm(Scheduler::Millis delay, std::function<void()> fn) {
  cancel();
  id_ = scheduler_->run_after(delay, [this, fn = std::move(fn)] {
    id_ = 0;
    fn();
  });
}

void Timer::cancel() {
  if (id_ != 0) {
    scheduler_->cancel(id_);
    id_ = 0;
  }
}

struct AsioScheduler::Entry {
  explicit Entry(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
  std::function<void()> fn;
};

AsioScheduler::AsioScheduler(asio::io_context& io) : io_(io) {}
AsioScheduler::~AsioScheduler() = default;

Scheduler::TimerId AsioScheduler::run_after(Millis delay, std::function<void()> fn) {
  const TimerId id = next_id_++;
  auto entry = std::make_unique<Entry>(io_);
  entry->fn = std::move(fn);
  entry->timer.expires_after(delay);
  entry->timer.async_wait([this, id](const std::error_code& ec) {
    if (ec) {
      return;  // cancelled: the entry is already gone
    }
    auto it = timers_.find(id);
    if (it == timers_.end()) {
      return;
    }
    auto callback = std::move(it->second->fn);
    timers_.erase(it);
    callback();
  });
  timers_.emplace(id, std::move(entry));
  return id;
}

void AsioScheduler::cancel(TimerId id) {
  auto it = timers_.find(id);
  if (it != timers_.end()) {
    it->second->timer.cancel();
    timers_.erase(it);
  }
}

}  // namespace cometd
