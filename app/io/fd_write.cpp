#include "io/fd_write.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

namespace cometd {

bool write_fully(int fd, std::string_view data, int& error) {
  const char* p = data.data();
  std::size_t left = data.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n >= 0) {
      p += n;
      left -= static_cast<std::size_t>(n);
      continue;
    }
    if (errno == EINTR) {
      continue;
    }
    if (errno == EAGAIN) {
      pollfd out = {fd, POLLOUT, 0};
      (void)::poll(&out, 1, -1);
      continue;
    }
    error = errno;
    return false;
  }
  return true;
}

}  // namespace cometd
