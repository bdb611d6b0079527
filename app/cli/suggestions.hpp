// Typo help: the messages of usage errors about names, with the closest known name, and an
// option given to the wrong subcommand said where it belongs.
#pragma once

#include <string>
#include <string_view>

#include "cli/flags.hpp"

namespace cometd {

/// "unknown option --coutn; did you mean --count?" for `typed` ("--coutn", "-x").
std::string unknown_option_message(std::string_view typed);

/// "unknown command 'frobnicate'; the commands are subscribe (sub), ...", with the closest
/// command when one is close.
std::string unknown_command_message(std::string_view word);

/// "subscribe (sub), publish (pub), call, probe, completion, help".
std::string command_list();

/// Why `typed` (an option of other subcommands than `command`) is out of place:
/// "--acks is an option of publish: put it after 'publish'" when it belongs to `command` and
/// was given before it, else "--count is an option of subscribe, not of publish".
std::string misplaced_option_message(std::string_view typed, std::string_view long_name,
                                     const CommandSpec& command);

}  // namespace cometd
