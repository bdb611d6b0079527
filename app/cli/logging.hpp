// stderr logging: "cometd-cli: " lines, levelled by -q/-v, never on stdout.
#pragma once

namespace cometd {

/// Installs the stderr logger as spdlog's default (spdlog's own default writes to stdout).
/// verbosity: -1 quiet (errors), 0 warnings, 1 info, 2 debug (Bayeux messages), 3 trace (HTTP).
void setup_logging(int verbosity);

}  // namespace cometd
