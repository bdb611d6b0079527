// The stdout writer: a thread that writes every ready line in one write(2), so that the io
// thread never blocks on a slow reader.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "io/line_sink.hpp"

namespace cometd {

/// The LineSink of stdout.
class LineWriter final : public LineSink {
 public:
  /// Called on the writer thread, or on the thread that called write() when the lines could be
  /// written at once; must hand the event over (asio::post) and return.
  using Notify = std::function<void(Event event, std::size_t count)>;

  LineWriter(int fd, Notify notify);
  ~LineWriter() override;
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  void start();
  void write(std::string_view text, std::size_t count) override;
  /// Its buffer is taken over when nothing is queued, and `text` gets the capacity of a
  /// buffer the writer is done with.
  void write_buffer(std::string& text, std::size_t count) override;
  std::size_t pending() const override { return pending_.load(std::memory_order_relaxed); }
  void close() override;
  /// close(), then waits for the thread. False when the deadline passed first (the thread is
  /// then stuck in write(2): the caller must leave through _exit()).
  bool drain(std::chrono::milliseconds deadline);

 private:
  void run();
  void wake();
  /// Sets stopping_ and ends direct writes; mutex_ held.
  void stop_locked();
  /// Writes `text` (`count` lines) at once when that cannot block; otherwise runs `queue`
  /// (which adds `text` to queued_) under the lock, and wakes the thread if it is idle.
  template <typename Queue>
  void enqueue(std::string_view text, std::size_t count, Queue&& queue);
  /// One non-blocking write(2) of `text` where stdout allows it; true when all of it was
  /// written. `written`: the bytes that were.
  bool write_now(std::string_view text, std::size_t& written);

  int fd_;
  Notify notify_;
  int wake_[2] = {-1, -1};
  std::mutex mutex_;
  std::condition_variable finished_cv_;
  std::string queued_;
  std::size_t queued_lines_ = 0;
  std::atomic<std::size_t> pending_{0};
  bool stopping_ = false;
  bool finished_ = false;
  bool ended_ = false;  // closed or failed: nothing more is written
  bool idle_ = false;   // the thread waits in poll(2) for a wake
  enum class Direct { none, pipe, socket } direct_ = Direct::none;  // how write_now() writes
  int own_ = -1;  // the pipe's own non-blocking description (Direct::pipe)
  std::thread thread_;
};

}  // namespace cometd
