#include "cli/suggestions.hpp"

#include <algorithm>
#include <vector>

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

/// The closest of `names` to `word` (at most 3 edits away), or empty.
std::string_view closest(std::string_view word, const std::vector<std::string_view>& names) {
  std::string_view best;
  std::size_t best_distance = 4;
  for (const auto name : names) {
    const std::size_t d = edit_distance(word, name);
    if (d < best_distance) {
      best = name;
      best_distance = d;
    }
  }
  return best;
}

/// "publish and subscribe": the subcommands that take --`long_name`.
std::string owners_of(std::string_view long_name) {
  std::vector<std::string_view> owners;
  for (const auto& command : command_table()) {
    for (const FlagSpec* spec : flags_of(command)) {
      if (spec->long_name == long_name) {
        owners.push_back(command.name);
      }
    }
  }
  std::string out;
  for (std::size_t i = 0; i < owners.size(); ++i) {
    out += i == 0 ? "" : (i + 1 == owners.size() ? " and " : ", ");
    out += owners[i];
  }
  return out;
}

}  // namespace

std::string unknown_option_message(std::string_view typed) {
  std::string message = "unknown option " + std::string(typed);
  if (typed.size() > 2 && typed.substr(0, 2) == "--") {
    std::vector<std::string_view> names;
    for (const auto& spec : flag_table()) {
      names.push_back(spec.long_name);
    }
    const auto best = closest(typed.substr(2), names);
    if (!best.empty()) {
      message += "; did you mean --" + std::string(best) + "?";
    }
  }
  return message;
}

std::string command_list() {
  std::string out;
  for (const auto& command : command_table()) {
    out += out.empty() ? "" : ", ";
    out += command.name;
    if (!command.alias.empty()) {
      out += " (" + std::string(command.alias) + ")";
    }
  }
  return out;
}

std::string unknown_command_message(std::string_view word) {
  std::string message = "unknown command '" + std::string(word) + "'";
  std::vector<std::string_view> names;
  for (const auto& command : command_table()) {
    names.push_back(command.name);
  }
  if (const auto best = closest(word, names); !best.empty()) {
    message += "; did you mean " + std::string(best) + "?";
  } else if (word.find("://") != std::string_view::npos) {
    message += "; the command comes before the URL";
  }
  return message + " (the commands are " + command_list() + ")";
}

std::string misplaced_option_message(std::string_view typed, std::string_view long_name,
                                     const CommandSpec& command) {
  for (const FlagSpec* spec : flags_of(command)) {
    if (spec->long_name == long_name) {
      return std::string(typed) + " is an option of " + std::string(command.name) +
             ": put it after '" + std::string(command.name) + "'";
    }
  }
  return std::string(typed) + " is an option of " + owners_of(long_name) + ", not of " +
         std::string(command.name);
}

}  // namespace cometd
