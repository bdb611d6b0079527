#include "io/trace_file.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "exit_code.hpp"
#include "io/fd_write.hpp"

namespace cometd {

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
    : fd_(fd), owned_(owned), name_(std::move(name)) {}

TraceFile::~TraceFile() {
  if (owned_) {
    ::close(fd_);
  }
}

void TraceFile::write(std::string_view line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (failed_) {
    return;
  }
  int error = 0;
  if (!write_fully(fd_, line, error)) {
    failed_ = true;
    spdlog::error("cannot write the trace to {} ({}); tracing stops here", name_,
                  std::strerror(error));
  }
}

}  // namespace cometd
