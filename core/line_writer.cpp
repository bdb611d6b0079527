#include "line_writer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace cometd {

LineWriter::LineWriter(int fd, Notify notify) : fd_(fd), notify_(std::move(notify)) {}

LineWriter::~LineWriter() {
  if (thread_.joinable()) {
    if (drain(std::chrono::milliseconds{0})) {
      // joined by drain()
    } else {
      thread_.detach();  // stuck in write(2); the process is about to _exit()
      return;
    }
  }
  for (int fd : wake_) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

void LineWriter::start() {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    notify_(Event::failed, static_cast<std::size_t>(errno));
    return;
  }
  thread_ = std::thread([this] { run(); });
}

void LineWriter::wake() {
  const char byte = 1;
  (void)!::write(wake_[1], &byte, 1);
}

void LineWriter::write(std::string_view text, std::size_t count) {
  bool was_empty;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (ended_ || stopping_) {
      return;
    }
    was_empty = queued_.empty();
    queued_.append(text);
    queued_lines_ += count;
    pending_.fetch_add(count, std::memory_order_relaxed);
  }
  if (was_empty) {
    wake();
  }
}

void LineWriter::close() {
  bool done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    // ended_ is set before the thread finishes: it will not report drained after that.
    done = finished_ || ended_ || !thread_.joinable();
  }
  if (done) {
    notify_(Event::drained, 0);
  } else {
    wake();
  }
}

bool LineWriter::drain(std::chrono::milliseconds deadline) {
  if (!thread_.joinable()) {
    return true;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake();
  std::unique_lock<std::mutex> lock(mutex_);
  if (!finished_cv_.wait_for(lock, deadline, [this] { return finished_; })) {
    return false;
  }
  lock.unlock();
  thread_.join();
  return true;
}

bool LineWriter::write_all(const std::string& data, int& error) {
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n >= 0) {
      p += n;
      left -= static_cast<std::size_t>(n);
      continue;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno == EAGAIN) {
      // stdout inherited in non-blocking mode: wait until it takes more.
      pollfd out = {fd_, POLLOUT, 0};
      (void)::poll(&out, 1, -1);
      continue;
    }
    error = errno;
    return false;
  }
  return true;
}

void LineWriter::run() {
  std::string batch;
  auto finish = [this] {
    std::lock_guard<std::mutex> lock(mutex_);
    finished_ = true;
    finished_cv_.notify_all();
  };
  while (true) {
    std::size_t lines = 0;
    bool stopping = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      batch.swap(queued_);
      queued_.clear();
      lines = queued_lines_;
      queued_lines_ = 0;
      stopping = stopping_;
    }
    if (batch.empty()) {
      if (stopping) {
        finish();
        notify_(Event::drained, 0);
        return;
      }
      // Idle: wait for lines, and notice a reader that went away (POLLERR on a pipe whose
      // read end is closed) without having to write to it.
      pollfd fds[2] = {{wake_[0], POLLIN, 0}, {fd_, 0, 0}};
      if (::poll(fds, 2, -1) < 0 && errno != EINTR) {
        continue;
      }
      if (fds[1].revents & (POLLERR | POLLHUP)) {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          ended_ = true;
        }
        notify_(Event::closed, 0);
        finish();
        return;
      }
      char sink[64];
      while (::read(wake_[0], sink, sizeof sink) > 0) {
      }
      continue;
    }
    int error = 0;
    const bool ok = write_all(batch, error);
    batch.clear();
    pending_.fetch_sub(lines, std::memory_order_relaxed);
    if (!ok) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        ended_ = true;
      }
      notify_(error == EPIPE ? Event::closed : Event::failed, static_cast<std::size_t>(error));
      finish();
      return;
    }
    notify_(Event::written, lines);
  }
}

}  // namespace cometd
