#include "io/stdin_lines.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <cerrno>

#include "io/pipe_reopen.hpp"

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

namespace {
constexpr std::size_t k_chunk = 64 * 1024;
}

struct StdinReader::Watch {
  Watch(asio::io_context& io, int fd, bool socket) : descriptor(io, fd), is_socket(socket) {}
  /// What asio watches, and makes non-blocking: never stdin's own description, which the
  /// shell and the processes after us share. For a pipe, the pipe opened again (reopen_pipe),
  /// and read directly; for a socket (what Node.js gives a child), an epoll instance of ours
  /// that holds it, readable when the socket is, and the socket read with MSG_DONTWAIT.
  /// Closing it leaves stdin open.
  asio::posix::stream_descriptor descriptor;
  bool is_socket;
  bool waiting = false;
  bool ended = false;  // end of input delivered
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);
};

StdinReader::StdinReader(int fd, Deliver deliver, asio::io_context* io)
    : fd_(fd), deliver_(std::move(deliver)), io_(io) {}

StdinReader::~StdinReader() {
  stop();
  for (int fd : wake_) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

namespace {

/// An epoll instance watching `fd` for input (level-triggered), or -1 when `fd` is not a
/// socket or that fails.
int socket_poller(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode)) {
    return -1;
  }
  const int poller = ::epoll_create1(EPOLL_CLOEXEC);
  if (poller < 0) {
    return -1;
  }
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.fd = fd;
  if (::epoll_ctl(poller, EPOLL_CTL_ADD, fd, &event) != 0) {
    ::close(poller);
    return -1;
  }
  return poller;
}

}  // namespace

void StdinReader::start() {
  // A thread wake per chunk is most of a publish round trip's latency, so a pipe or a socket
  // is watched by the io thread; anything else (a file, a terminal) is read by a thread of
  // its own.
  if (io_ != nullptr) {
    int watched = reopen_pipe(fd_, O_RDONLY | O_NONBLOCK);
    bool socket = false;
    if (watched < 0) {
      watched = socket_poller(fd_);
      socket = watched >= 0;
    }
    if (watched >= 0) {
      watch_ = std::make_unique<Watch>(*io_, watched, socket);
      watch();
      return;
    }
  }
  if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) {
    deliver_({}, true, errno);
    return;
  }
  thread_ = std::thread([this] { run(); });
}

std::string StdinReader::read_chunk(bool& eof, int& error, bool& again) {
  std::string chunk(k_chunk, '\0');
  ssize_t n;
  do {
    // A watched pipe is non-blocking, a watched socket read with MSG_DONTWAIT; any other
    // stdin polled readable.
    if (watch_ && watch_->is_socket) {
      n = ::recv(fd_, chunk.data(), chunk.size(), MSG_DONTWAIT);
    } else {
      n = ::read(watch_ ? watch_->descriptor.native_handle() : fd_, chunk.data(), chunk.size());
    }
  } while (n < 0 && errno == EINTR);
  again = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  eof = !again && n <= 0;
  error = eof && n < 0 ? errno : 0;
  chunk.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return chunk;
}

void StdinReader::watch() {
  if (!watch_ || watch_->waiting || watch_->ended || stopping_) {
    return;
  }
  watch_->waiting = true;
  auto on_ready = [this, alive = std::weak_ptr<bool>(watch_->alive)](const std::error_code& ec) {
    if (!alive.lock() || ec) {
      return;  // stopped
    }
    watch_->waiting = false;
    bool eof = false;
    bool again = false;
    int error = 0;
    std::string chunk = read_chunk(eof, error, again);
    if (again) {
      watch();  // woken early: wait again
      return;
    }
    watch_->ended = eof;
    // The next read waits for grant().
    deliver_(std::move(chunk), eof, error);
  };
  // asio registers the descriptor edge-triggered, but re-arms it (EPOLL_CTL_MOD) for each
  // wait, so what a previous read left behind still raises an event.
  watch_->descriptor.async_wait(asio::posix::stream_descriptor::wait_read, std::move(on_ready));
}

void StdinReader::grant() {
  if (watch_) {
    watch();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    granted_ = true;
  }
  cv_.notify_one();
}

void StdinReader::stop() {
  if (watch_) {
    stopping_ = true;
    *watch_->alive = false;
    watch_.reset();  // cancels the wait and closes the dup()
    return;
  }
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
    bool eof = false;
    bool again = false;
    int error = 0;
    std::string chunk = read_chunk(eof, error, again);
    if (again) {
      grant();  // a non-blocking stdin woke us early: poll again
      continue;
    }
    deliver_(std::move(chunk), eof, error);
    if (eof) {
      return;
    }
  }
}

}  // namespace cometd
