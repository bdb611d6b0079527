// Shell completions and the man page, generated from the flag and command tables, so that
// --help, cometd-cli(1) and the completions cannot drift apart.
#pragma once

#include <string>
#include <string_view>

namespace cometd {

/// The completion script for "bash", "zsh" or "fish"; empty for another shell.
std::string completion_script(std::string_view shell);

/// The man page, cometd-cli(1), in man(7) roff.
std::string man_page();
/// Its RECONNECTING and TRACE sections (manual_diagnostics.cpp).
const char* manual_diagnostics();

}  // namespace cometd
