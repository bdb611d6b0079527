// argv split by the flag table: the command, the options (global ones before or after it, the
// command's own after it), and the positional arguments. No value is interpreted here.
#pragma once

#include <string>
#include <vector>

#include "cli/flags.hpp"
#include "cli/option_parsers.hpp"

namespace cometd {

struct Arguments {
  const CommandSpec* command = nullptr;   ///< nullptr: none was given
  const CommandSpec* help_for = nullptr;  ///< `help COMMAND`, `COMMAND --help`
  bool help = false;                      ///< --help, -h or `help`
  bool version = false;                   ///< --version
  RawFlags flags;                         ///< the options' values, by long name
  std::vector<std::string> positionals;   ///< the command's arguments, exactly as given
};

/// Splits argv. `--` ends the options: every later word is a positional argument, and so is a
/// word that starts with '-' followed by a digit (DATA such as -1). An option's value is the
/// rest of its word (--timeout=5s, -C5) or the next word, whatever it looks like. Throws
/// Error(usage) for an unknown option (with the closest name), an option given to a command
/// that does not take it (saying where it belongs), a value missing or given to a flag, and an
/// unknown command (naming those that exist).
Arguments scan_arguments(int argc, const char* const* argv);

}  // namespace cometd
