#include "cli/suggestions.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "cli/flags.hpp"
#include "cli/option_parsers.hpp"

namespace cometd {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

const CommandSpec* command_named(std::string_view word) {
  for (const auto& command : command_table()) {
    if (word == command.name || (!command.alias.empty() && word == command.alias)) {
      return &command;
    }
  }
  return nullptr;
}

}  // namespace

/// Explains an unknown option before CLI11 does, with the closest known one, and an option
/// given to the wrong subcommand.
void check_flag_names(int argc, const char* const* argv) {
  const CommandSpec* command = nullptr;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") {
      return;
    }
    if (arg.size() < 2 || arg[0] != '-' || std::isdigit(static_cast<unsigned char>(arg[1]))) {
      if (command == nullptr) {
        command = command_named(arg);
      }
      continue;
    }
    const FlagSpec* known = nullptr;
    std::string_view name;
    if (arg[1] == '-') {
      name = arg.substr(2, arg.find('=') == std::string_view::npos ? std::string_view::npos
                                                                    : arg.find('=') - 2);
      for (const auto& spec : flag_table()) {
        if (spec.long_name == name) {
          known = &spec;
        }
      }
      if (known == nullptr) {
        const FlagSpec* best = nullptr;
        std::size_t best_distance = 4;
        for (const auto& spec : flag_table()) {
          const std::size_t d = edit_distance(name, spec.long_name);
          if (d < best_distance) {
            best = &spec;
            best_distance = d;
          }
        }
        usage_error("unknown option --" + std::string(name) +
                    (best != nullptr ? "; did you mean --" + std::string(best->long_name) + "?"
                                     : std::string()));
      }
    } else {
      for (const auto& spec : flag_table()) {
        if (spec.short_name == arg[1]) {
          known = &spec;
        }
      }
      if (known == nullptr) {
        usage_error("unknown option -" + std::string(1, arg[1]));
      }
    }
    if (command != nullptr && command->scope != 0 && (known->scopes & scope::global) == 0 &&
        (known->scopes & command->scope) == 0) {
      usage_error("--" + std::string(known->long_name) + " is not an option of " +
                  std::string(command->name));
    }
    const bool takes_value =
        known->kind == FlagKind::value || known->kind == FlagKind::repeated;
    if (takes_value && arg.find('=') == std::string_view::npos &&
        (arg[1] == '-' || arg.size() == 2)) {
      ++i;  // its value, whatever it looks like
    }
  }
}

}  // namespace cometd
