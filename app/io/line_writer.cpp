#include "io/line_writer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "io/fd_write.hpp"
#include "io/pipe_reopen.hpp"

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
  for (int fd : {wake_[0], wake_[1], own_}) {
    if (fd >= 0) {
      ::close(fd);
    }
  }
}

void LineWriter::start() {
  // The io thread may write at once only where that cannot block: a pipe through a
  // non-blocking description of its own (never O_NONBLOCK on the shared one: the shell and
  // the other processes on the pipe expect blocking writes), a socket with MSG_DONTWAIT (what
  // Node.js gives a child for stdout). A regular file can block too (NFS, a full disk's
  // writeback), and a terminal: their lines always go through the thread.
  struct stat st {};
  if (::fstat(fd_, &st) == 0) {
    if (S_ISFIFO(st.st_mode)) {
      own_ = reopen_pipe(fd_, O_WRONLY | O_NONBLOCK);
      direct_ = own_ >= 0 ? Direct::pipe : Direct::none;
    } else if (S_ISSOCK(st.st_mode)) {
      direct_ = Direct::socket;
    }
  }
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

bool LineWriter::write_now(std::string_view text, std::size_t& written) {
  ssize_t n;
  switch (direct_) {
    case Direct::pipe:
      n = ::write(own_, text.data(), text.size());
      break;
    case Direct::socket:
      n = ::send(fd_, text.data(), text.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
      break;
    default:
      return false;
  }
  // A partial write leaves the rest, and an error (EAGAIN, EPIPE) all of it, to the thread,
  // which reports what it finds.
  written = n > 0 ? static_cast<std::size_t>(n) : 0;
  return written == text.size();
}

template <typename Queue>
void LineWriter::enqueue(std::string_view text, std::size_t count, Queue&& queue) {
  bool wake_needed = false;
  bool written_now = false;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (ended_ || stopping_) {
      return;
    }
    std::size_t written = 0;
    // With the thread idle and nothing queued, a write that cannot block is made here: when
    // messages trickle in one at a time, a wake of the thread per line costs more than the
    // write itself.
    if (idle_ && queued_.empty() && write_now(text, written)) {
      written_now = true;
    } else if (written > 0) {
      queued_.append(text.substr(written));  // the rest, and any error, is the thread's
    } else {
      queue();
    }
    if (!written_now) {
      queued_lines_ += count;
      pending_.fetch_add(count, std::memory_order_relaxed);
      wake_needed = idle_;  // a busy writer finds the lines when it looks again
      idle_ = false;
    }
  }
  if (written_now) {
    notify_(Event::written, count);
  } else if (wake_needed) {
    wake();
  }
}

void LineWriter::write_buffer(std::string& text, std::size_t count) {
  enqueue(text, count, [&] {
    if (queued_.empty()) {
      queued_.swap(text);
    } else {
      queued_.append(text);
    }
  });
  text.clear();
}

void LineWriter::write(std::string_view text, std::size_t count) {
  enqueue(text, count, [&] { queued_.append(text); });
}

void LineWriter::stop_locked() {
  stopping_ = true;
  // No more direct writes, and the pipe's own write end goes: it must not keep the reader
  // from seeing the end of the output once stdout is closed.
  if (own_ >= 0) {
    ::close(own_);
    own_ = -1;
    direct_ = Direct::none;
  }
}

void LineWriter::close() {
  bool done;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_locked();
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
    stop_locked();
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
      idle_ = batch.empty() && !stopping;  // from here on, new lines need a wake
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
      // One read empties the pipe (a wake is one byte, and a writer that is not idle gets
      // none); were more left, the next poll would just return at once.
      char sink[64];
      (void)!::read(wake_[0], sink, sizeof sink);
      continue;
    }
    int error = 0;
    const bool ok = write_fully(fd_, batch, error);
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
