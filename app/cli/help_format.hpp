// --help as cometd-cli(1) shows it, laid out by CLI11's formatter from the flag table.
#pragma once

#include <string>

#include "cli/flags.hpp"

namespace cometd {

/// Help text wrapped for a terminal; the formatter indents the continuation lines.
std::string wrap(const std::string& text, std::size_t width = 68);

/// The help of cometd-cli (`command` null) or of one command: its summary, usage, own options
/// and the global ones.
std::string help_text(const CommandSpec* command);

}  // namespace cometd
