// stderr logging: "cometd-cli: " lines, levelled by -q/-v, never on stdout.
#pragma once

#include <string_view>

namespace cometd {

/// Installs the stderr logger as spdlog's default (spdlog's own default writes to stdout).
/// verbosity: -1 quiet (errors), 0 warnings, 1 info, 2 debug (Bayeux messages), 3 trace (HTTP).
void setup_logging(int verbosity);

/// A status line ("cometd-cli: reconnected after 3.2s"): shown at the default verbosity and
/// above, without the "warning: " prefix; -q hides it.
void log_status(std::string_view line);

}  // namespace cometd
