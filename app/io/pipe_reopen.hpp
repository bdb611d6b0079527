// A private open file description of an inherited pipe.
#pragma once

namespace cometd {

/// Opens the pipe behind `fd` again, through /proc/self/fd, with `flags` (O_RDONLY or O_WRONLY,
/// usually with O_NONBLOCK) plus O_CLOEXEC. The new descriptor has file status flags of its
/// own: making it non-blocking leaves `fd` alone, and with it every other process that shares
/// the pipe (the shell, `cat` after us in `{ cometd-cli ...; cat; }`). Returns -1 when `fd`
/// is not a pipe or cannot be opened again (no /proc, a write end whose readers are gone).
int reopen_pipe(int fd, int flags);

}  // namespace cometd
