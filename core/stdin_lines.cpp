#include "stdin_lines.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace cometd {

void LineSplitter::emit(std::string_view line, const Sink& sink) {
  ++number_;
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  if (line.size() > max_line_) {
    sink(number_, {}, true);
    return;
  }
  if (line.find_first_not_of(" \t") == std::string_view::npos) {
    return;  // blank
  }
  sink(number_, line, false);
}

void LineSplitter::feed(std::string_view chunk, const Sink& sink) {
  while (!chunk.empty()) {
    const auto newline = chunk.find('\n');
    const std::string_view piece = chunk.substr(0, newline);
    if (discarding_) {
      if (newline == std::string_view::npos) {
        return;
      }
      discarding_ = false;
    } else if (partial_.size() + piece.size() > max_line_ + 1) {
      // Over the cap even without a CR: no need to keep buffering it.
      ++number_;
      sink(number_, {}, true);
      partial_.clear();
      discarding_ = newline == std::string_view::npos;
      if (discarding_) {
        return;
      }
    } else if (newline == std::string_view::npos) {
      partial_.append(piece);
      return;
    } else if (partial_.empty()) {
      emit(piece, sink);  // the common case: no copy
    } else {
      partial_.append(piece);
      emit(partial_, sink);
      partial_.clear();
    }
    chunk.remove_prefix(newline + 1);
  }
}

void LineSplitter::finish(const Sink& sink) {
  if (!partial_.empty() && !discarding_) {
    emit(partial_, sink);
  }
  partial_.clear();
  discarding_ = false;
}

StdinReader::StdinReader(int fd, Deliver deliver) : fd_(fd), deliver_(std::move(deliver)) {}

StdinReader::~StdinReader() {
  stop();
  for (int fd : wake_) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

void StdinReader::start() {
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    deliver_({}, true, errno);
    return;
  }
  thread_ = std::thread([this] { run(); });
}

void StdinReader::grant() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    granted_ = true;
  }
  cv_.notify_one();
}

void StdinReader::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) {
      if (thread_.joinable()) {
        thread_.join();
      }
      return;
    }
    stopping_ = true;
  }
  cv_.notify_one();
  if (wake_[1] >= 0) {
    const char byte = 1;
    (void)!::write(wake_[1], &byte, 1);
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

void StdinReader::run() {
  constexpr std::size_t k_chunk = 64 * 1024;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return granted_ || stopping_; });
      if (stopping_) {
        return;
      }
      granted_ = false;
    }
    // Wait in poll(2), never in read(2), so that stop() can wake us.
    pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    while (true) {
      const int ready = ::poll(fds, 2, -1);
      if (ready < 0 && errno == EINTR) {
        continue;
      }
      if (ready < 0) {
        deliver_({}, true, errno);
        return;
      }
      break;
    }
    if (fds[1].revents != 0) {
      return;  // stop()
    }
    std::string chunk(k_chunk, '\0');
    ssize_t n;
    do {
      n = ::read(fd_, chunk.data(), chunk.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN) {
      grant();  // a non-blocking stdin woke us early: poll again
      continue;
    }
    if (n <= 0) {
      deliver_({}, true, n < 0 ? errno : 0);
      return;
    }
    chunk.resize(static_cast<std::size_t>(n));
    deliver_(std::move(chunk), false, 0);
  }
}

}  // namespace cometd
