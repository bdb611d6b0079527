// Writing a whole buffer to a descriptor: the one loop stdout, the trace file and the reports
// share.
#pragma once

#include <string_view>

namespace cometd {

/// Writes all of `data` to `fd`, through EINTR and short writes; a descriptor inherited in
/// non-blocking mode is waited for (poll) rather than failed. False with `error` (an errno
/// value) when a write fails.
bool write_fully(int fd, std::string_view data, int& error);

}  // namespace cometd
