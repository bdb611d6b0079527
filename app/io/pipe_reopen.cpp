#include "io/pipe_reopen.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

namespace cometd {

int reopen_pipe(int fd, int flags) {
  struct stat before {};
  if (::fstat(fd, &before) != 0 || !S_ISFIFO(before.st_mode)) {
    return -1;
  }
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  const int own = ::open(path.c_str(), flags | O_CLOEXEC);
  if (own < 0) {
    return -1;
  }
  struct stat after {};
  if (::fstat(own, &after) != 0 || after.st_dev != before.st_dev || after.st_ino != before.st_ino) {
    ::close(own);  // not the same pipe (a /proc that lies): do without
    return -1;
  }
  return own;
}

}  // namespace cometd
