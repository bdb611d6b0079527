#include "cli/help_format.hpp"

#include <CLI/CLI.hpp>

#include <memory>

namespace cometd {

namespace {

/// "cometd-cli [OPTIONS] subscribe URL CHANNEL...", values by name, no CLI11 "..." markers,
/// the arguments in the usage line.
class HelpFormatter final : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string) const override {
    if (app->get_parent() == nullptr) {
      return "Usage: cometd-cli [OPTIONS] COMMAND [ARGS]\n";
    }
    const CommandSpec* command = find_command(app->get_name());
    if (command == nullptr) {
      return {};
    }
    const bool takes_options = command->scope != 0 || command->name == "probe";
    return "Usage: cometd-cli " + std::string(takes_options ? "[OPTIONS] " : "") +
           std::string(command->name) + " " + std::string(command->args) + "\n";
  }
  std::string make_positionals(const CLI::App*) const override { return {}; }
  std::string make_option_opts(const CLI::Option* option) const override {
    const std::string type = option->get_type_name();
    return type.empty() ? std::string() : " " + type;
  }
};

/// The flags of `scopes`, described for --help (CLI11 parses nothing here).
void add_flags(CLI::App& app, unsigned scopes, const std::string& group) {
  for (const auto& spec : flag_table()) {
    if ((spec.scopes & scopes) == 0 || spec.kind == FlagKind::action) {
      continue;  // --help and --version are CLI11's own
    }
    std::string names;
    if (spec.short_name != 0) {
      names += "-";
      names += spec.short_name;
      names += ",";
    }
    names += "--";
    names += spec.long_name;
    std::string help(spec.help);
    if (!spec.default_text.empty()) {
      help += " (default " + std::string(spec.default_text) + ")";
    }
    if (!spec.env.empty()) {
      help += " (env " + std::string(spec.env) + ")";
    }
    if (spec.kind == FlagKind::repeated || spec.kind == FlagKind::counter) {
      help += " (repeatable)";
    }
    app.add_option(names, CLI::callback_t{}, wrap(help))
        ->type_name(std::string(spec.value_name))
        ->group(group);
  }
}

}  // namespace

std::string wrap(const std::string& text, std::size_t width) {
  std::string out;
  std::size_t line = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(' ', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    const std::size_t word = end - start;
    if (line > 0 && line + 1 + word > width) {
      out += '\n';
      line = 0;
    } else if (line > 0) {
      out += ' ';
      ++line;
    }
    out.append(text, start, word);
    line += word;
    start = end + 1;
  }
  return out;
}

std::string help_text(const CommandSpec* command) {
  CLI::App app{"Command-line client for CometD / Bayeux servers: subscribe to channels as "
               "NDJSON on stdout, publish from stdin.",
               "cometd-cli"};
  app.formatter(std::make_shared<HelpFormatter>());
  app.get_formatter()->column_width(32);
  app.set_version_flag("--version", std::string("cometd-cli"));
  app.footer("Durations accept 500ms, 10s, 2m, 1h and bare seconds; 0 is no limit. "
             "See cometd-cli(1).");
  add_flags(app, scope::global, "Options");
  CLI::App* selected = &app;
  for (const auto& spec : command_table()) {
    CLI::App* sub = app.add_subcommand(std::string(spec.name), wrap(std::string(spec.summary)));
    if (!spec.alias.empty()) {
      sub->alias(std::string(spec.alias));
    }
    if (&spec != command) {
      continue;
    }
    selected = sub;
    if (spec.scope != 0) {
      add_flags(*sub, spec.scope, "Options");
    }
    if (spec.scope != 0 || spec.name == "probe") {
      add_flags(*sub, scope::global, "Global options (before or after the command)");
    }
  }
  // CLI11 puts two blank lines between option groups: one is enough.
  std::string text = selected->help();
  for (auto at = text.find("\n\n\n"); at != std::string::npos; at = text.find("\n\n\n", at)) {
    text.erase(at, 1);
  }
  return text;
}

}  // namespace cometd
