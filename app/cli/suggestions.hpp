// Typo help: an unknown option gets the closest known one, an option given to the wrong
// subcommand says where it belongs.
#pragma once

namespace cometd {

/// Checks every option name of argv against the flag table before the parse; throws
/// Error(usage) with a suggestion for the first unknown or misplaced one.
void check_flag_names(int argc, const char* const* argv);

}  // namespace cometd
