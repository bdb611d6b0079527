// The standard descriptors as the program found them.
#pragma once

namespace cometd {

/// Which of stdin, stdout and stderr were closed when the program started.
struct ClosedStandardFds {
  bool in = false;
  bool out = false;
  bool err = false;
};

/// Opens /dev/null on each standard descriptor that is closed, so that nothing the run opens
/// later (an eventfd, a socket, a pipe) takes its number: a closed stdin then reads as empty,
/// and a log line never lands in a socket. Call first thing, before anything opens a file.
ClosedStandardFds hold_standard_fds();

}  // namespace cometd
