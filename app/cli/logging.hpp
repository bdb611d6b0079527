// stderr logging: "cometd-cli: " lines, levelled by -q/-v, never on stdout.
#pragma once

#include <string>
#include <string_view>

namespace cometd {

/// Installs the stderr logger as spdlog's default (spdlog's own default writes to stdout).
/// verbosity: -1 quiet (errors), 0 warnings, 1 info, 2 debug (Bayeux messages), 3 trace (HTTP).
/// Every message it prints goes through redact_text() and printable() first, whatever its
/// source: a server's bytes can neither reveal a secret nor drive the terminal. From -v up each
/// line starts with the local time, HH:MM:SS.mmm.
void setup_logging(int verbosity);

/// `text` safe to print on a terminal as one line: C0 control bytes (line breaks and ESC
/// included), DEL and bytes that are not UTF-8 become \xNN; C1 controls and the bidirectional
/// overrides become \uNNNN. Everything else, backslashes included, is kept as it is.
std::string printable(std::string_view text);

/// A status line ("cometd-cli: reconnected after 3.2s"): shown at the default verbosity and
/// above, without the "warning: " prefix; -q hides it.
void log_status(std::string_view line);

}  // namespace cometd
