// The flag table: one definition per option, from which the parser, --help, the man page and
// the shell completions are all made, so that they cannot drift apart.
#pragma once

#include <string_view>
#include <vector>

namespace cometd {

/// Where a flag is accepted (a bit mask). Global flags are accepted before or after the
/// subcommand.
namespace scope {
constexpr unsigned global = 1;
constexpr unsigned subscribe = 2;
constexpr unsigned publish = 4;
constexpr unsigned call = 8;
constexpr unsigned probe = 16;
constexpr unsigned bench = 32;
}  // namespace scope

enum class FlagKind {
  action,    ///< --help, --version: print and exit
  toggle,    ///< --acks
  counter,   ///< -v, repeatable
  value,     ///< --timeout 5s; the last one wins
  repeated,  ///< -H, each occurrence kept
};

/// What a shell should complete for the flag's value.
enum class FlagCompletion { none, file, choice, duration, number, text };

/// One value of a choice, and what it means (for the completion menus).
struct FlagChoice {
  std::string_view value;
  std::string_view help;
};

struct FlagSpec {
  std::string_view long_name;   ///< "timeout" (without the dashes)
  char short_name;              ///< 'C', or 0
  std::string_view value_name;  ///< "DURATION"; empty for toggles and counters
  unsigned scopes;  ///< scope::global, or the subcommands that take it
  FlagKind kind;
  FlagCompletion completion;
  std::string_view help;          ///< one sentence, no trailing period
  std::string_view default_text;  ///< shown in --help and the man page; empty when none
  std::string_view env;           ///< an environment variable standing in for it, or empty
  std::vector<FlagChoice> choices;  ///< for FlagCompletion::choice
};

/// Every flag, in the order --help lists them.
const std::vector<FlagSpec>& flag_table();

/// A subcommand: its name, alias, arguments and one-line summary.
struct CommandSpec {
  std::string_view name;
  std::string_view alias;  ///< or empty
  std::string_view args;   ///< "URL CHANNEL..."
  std::string_view summary;
  unsigned scope;  ///< its bit in FlagSpec::scopes, 0 for completion
};

/// subscribe, publish, call, probe, bench, completion, help.
const std::vector<CommandSpec>& command_table();

/// The command called `word` (its name or alias), or nullptr.
const CommandSpec* find_command(std::string_view word);

/// Flags that `command` takes (global ones not included), in table order.
std::vector<const FlagSpec*> flags_of(const CommandSpec& command);

/// The flag called `long_name` (the first, when subcommands describe it each in their own
/// words); it must exist.
const FlagSpec& flag(std::string_view long_name);

}  // namespace cometd
