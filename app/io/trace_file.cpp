#include "io/trace_file.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "exit_code.hpp"
#include "io/fd_write.hpp"

namespace cometd {

namespace {

// The writer waits this long after the first record of a burst, or until this much has
// gathered: a record reaches the file within ~10 ms of its event, and a burst of thousands of
// records costs a few writes, not one each.
constexpr std::chrono::milliseconds k_batch_wait{10};
constexpr std::size_t k_batch_bytes = 64 * 1024;

}  // namespace

std::unique_ptr<TraceFile> TraceFile::open(const std::string& path) {
  if (path == "-") {
    return std::unique_ptr<TraceFile>(new TraceFile(STDERR_FILENO, false, "stderr"));
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw Error(ExitCode::cant_create,
                "cannot create the --trace file " + path + ": " + std::strerror(errno));
  }
  return std::unique_ptr<TraceFile>(new TraceFile(fd, true, path));
}

TraceFile::TraceFile(int fd, bool owned, std::string name)
    : fd_(fd), owned_(owned), name_(std::move(name)) {
  thread_ = std::thread([this] { run(); });
}

TraceFile::~TraceFile() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;  // the writer writes what is pending, then ends
  }
  wake_.notify_one();
  thread_.join();
  if (owned_) {
    ::close(fd_);
  }
}

void TraceFile::write(std::string_view line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (failed_) {
    return;
  }
  const std::size_t before = pending_.size();
  pending_.append(line);
  if ((before == 0 && !writing_) ||
      (before < k_batch_bytes && pending_.size() >= k_batch_bytes)) {
    wake_.notify_one();
  }
}

void TraceFile::flush() {
  std::unique_lock<std::mutex> lock(mutex_);
  ++flushing_;
  wake_.notify_one();  // no gathering: what is pending goes out now
  written_.wait_for(lock, std::chrono::seconds(1),
                    [this] { return failed_ || (pending_.empty() && !writing_); });
  --flushing_;
}

void TraceFile::run() {
  std::string batch;
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return !pending_.empty() || stopping_; });
    if (pending_.empty()) {
      return;  // stopping, and everything is written
    }
    // A burst (a reply of many messages) gathers into one write.
    wake_.wait_for(lock, k_batch_wait, [this] {
      return pending_.size() >= k_batch_bytes || flushing_ > 0 || stopping_;
    });
    batch.clear();
    batch.swap(pending_);
    writing_ = true;
    lock.unlock();
    int error = 0;
    const bool ok = write_fully(fd_, batch, error);
    lock.lock();
    writing_ = false;
    if (!ok) {
      failed_ = true;
      pending_.clear();
      pending_.shrink_to_fit();
      spdlog::error("cannot write the trace to {} ({}); tracing stops here", name_,
                    std::strerror(error));
    }
    if (pending_.empty() || failed_) {
      written_.notify_all();
    }
    if (failed_) {
      return;
    }
  }
}

}  // namespace cometd
