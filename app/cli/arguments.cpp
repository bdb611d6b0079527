#include "cli/arguments.hpp"

#include <cctype>
#include <string_view>
#include <utility>

#include "cli/suggestions.hpp"

namespace cometd {

namespace {

bool is_option(std::string_view word) {
  return word.size() >= 2 && word[0] == '-' && !std::isdigit(static_cast<unsigned char>(word[1]));
}

bool takes_value(const FlagSpec& spec) {
  return spec.kind == FlagKind::value || spec.kind == FlagKind::repeated;
}

/// An option as typed, before the command it belongs to is known for sure.
struct Given {
  std::string typed;  // "--acks", "-C"
  const FlagSpec* spec;
};

class Scanner {
 public:
  Scanner(int argc, const char* const* argv) : argc_(argc), argv_(argv) {}

  Arguments run() {
    bool options_ended = false;
    for (i_ = 1; i_ < argc_; ++i_) {
      const std::string_view word = argv_[i_];
      if (options_ended || !is_option(word)) {
        positional(word);
      } else if (word == "--") {
        options_ended = true;
      } else if (word[1] == '-') {
        long_option(word.substr(2));
      } else {
        short_options(word.substr(1));
      }
    }
    finish();
    return std::move(out_);
  }

 private:
  void positional(std::string_view word) {
    if (out_.command == nullptr) {
      out_.command = find_command(word);
      if (out_.command == nullptr) {
        usage_error(unknown_command_message(word));
      }
      return;
    }
    if (out_.command->name == "help" && out_.help_for == nullptr) {
      out_.help_for = find_command(word);
      if (out_.help_for == nullptr) {
        usage_error(unknown_command_message(word));
      }
      return;
    }
    out_.positionals.emplace_back(word);
  }

  void long_option(std::string_view text) {
    const auto eq = text.find('=');
    const std::string_view name = text.substr(0, eq);
    const std::string typed = "--" + std::string(name);
    const FlagSpec* spec = lookup(typed, [name](const FlagSpec& s) { return s.long_name == name; });
    if (eq == std::string_view::npos) {
      take(typed, *spec, nullptr);
    } else {
      const std::string value(text.substr(eq + 1));
      take(typed, *spec, &value);
    }
  }

  /// A cluster: -vvv, -kv, -C5, -Hvalue.
  void short_options(std::string_view cluster) {
    for (std::size_t j = 0; j < cluster.size(); ++j) {
      const char c = cluster[j];
      const std::string typed = std::string("-") + c;
      const FlagSpec* spec = lookup(typed, [c](const FlagSpec& s) { return s.short_name == c; });
      if (takes_value(*spec) && j + 1 < cluster.size()) {
        const std::string value(cluster.substr(j + 1));
        take(typed, *spec, &value);
        return;
      }
      take(typed, *spec, nullptr);
    }
  }

  /// The flag `matches` selects, preferring the one of the command given (--duration has a
  /// text per command); an unknown name is a usage error.
  template <typename Match>
  const FlagSpec* lookup(const std::string& typed, Match matches) {
    const FlagSpec* found = nullptr;
    for (const auto& spec : flag_table()) {
      if (!matches(spec)) {
        continue;
      }
      if (found == nullptr || accepted_here(spec)) {
        found = &spec;
      }
    }
    if (found == nullptr) {
      usage_error(unknown_option_message(typed));
    }
    return found;
  }

  bool accepted_here(const FlagSpec& spec) const {
    return (spec.scopes & scope::global) != 0 ||
           (out_.command != nullptr && (spec.scopes & out_.command->scope) != 0);
  }

  /// Records one option; `value` is its attached value (--x=v, -Cv), or null.
  void take(const std::string& typed, const FlagSpec& spec, const std::string* value) {
    if (spec.kind == FlagKind::action) {
      if (value != nullptr) {
        usage_error(typed + " takes no value");
      }
      (spec.long_name == "help" ? out_.help : out_.version) = true;
      return;
    }
    if (!accepted_here(spec)) {
      if (out_.command != nullptr) {
        usage_error(misplaced_option_message(typed, spec.long_name, *out_.command));
      }
      early_.push_back({typed, &spec});  // judged once the command is known
    }
    auto& flags = out_.flags;
    switch (spec.kind) {
      case FlagKind::toggle:
      case FlagKind::counter:
        if (value != nullptr) {
          usage_error(typed + " takes no value");
        }
        if (spec.kind == FlagKind::toggle) {
          flags.toggles[spec.long_name] = true;
        } else {
          ++flags.counters[spec.long_name];
        }
        return;
      case FlagKind::value:
      case FlagKind::repeated:
        if (value != nullptr) {
          flags.values[spec.long_name].push_back(*value);
        } else if (i_ + 1 < argc_) {
          flags.values[spec.long_name].emplace_back(argv_[++i_]);
        } else {
          usage_error(typed + " needs a value (" + std::string(spec.value_name) + ")");
        }
        return;
      case FlagKind::action:
        return;
    }
  }

  void finish() {
    if (out_.help) {
      if (out_.help_for == nullptr && out_.command != nullptr && out_.command->name != "help") {
        out_.help_for = out_.command;
      }
      return;  // --help wins over everything else on the line
    }
    if (out_.command != nullptr && out_.command->name == "help") {
      out_.help = true;
      if (!out_.positionals.empty()) {
        usage_error("help takes one COMMAND at most");
      }
      return;
    }
    if (out_.version) {
      return;
    }
    if (out_.command == nullptr) {
      usage_error("no command given (the commands are " + command_list() + ")");
    }
    if (!early_.empty()) {
      const Given& given = early_.front();
      usage_error(misplaced_option_message(given.typed, given.spec->long_name, *out_.command));
    }
  }

  int argc_;
  const char* const* argv_;
  int i_ = 1;
  Arguments out_;
  std::vector<Given> early_;
};

}  // namespace

Arguments scan_arguments(int argc, const char* const* argv) { return Scanner(argc, argv).run(); }

}  // namespace cometd
