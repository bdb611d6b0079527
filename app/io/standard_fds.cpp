#include "io/standard_fds.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace cometd {

namespace {

bool closed(int fd) { return ::fcntl(fd, F_GETFD) == -1 && errno == EBADF; }

/// /dev/null on `fd`, which is closed: open(2) returns the lowest free number, so the standard
/// descriptors are filled in order; dup2 covers a lower one that was open.
void hold(int fd, int flags) {
  const int null = ::open("/dev/null", flags);
  if (null >= 0 && null != fd) {
    ::dup2(null, fd);
    ::close(null);
  }
}

}  // namespace

ClosedStandardFds hold_standard_fds() {
  ClosedStandardFds found{closed(STDIN_FILENO), closed(STDOUT_FILENO), closed(STDERR_FILENO)};
  if (found.in) {
    hold(STDIN_FILENO, O_RDONLY);
  }
  if (found.out) {
    hold(STDOUT_FILENO, O_WRONLY);
  }
  if (found.err) {
    hold(STDERR_FILENO, O_WRONLY);
  }
  return found;
}

}  // namespace cometd
