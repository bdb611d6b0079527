#include "cli/options.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <map>

#include "bayeux/channel.hpp"
#include "cli/completion.hpp"
#include "cli/flags.hpp"
#include "cli/help_format.hpp"
#include "cli/option_parsers.hpp"
#include "cli/suggestions.hpp"
#include "exit_code.hpp"
#include "io/publish_line.hpp"

namespace cometd {

namespace {

void add_flags(CLI::App& app, unsigned scopes, RawFlags& raw) {
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
    if (spec.kind == FlagKind::repeated) {
      help += " (repeatable)";
    }
    help = wrap(help);
    if (scopes == scope::global && (spec.scopes & scope::global) == 0) {
      continue;
    }
    CLI::Option* option = nullptr;
    switch (spec.kind) {
      case FlagKind::action:
        break;
      case FlagKind::toggle:
        option = app.add_flag(names, raw.toggles[spec.long_name], help);
        break;
      case FlagKind::counter:
        option = app.add_flag(names, raw.counters[spec.long_name], help);
        break;
      case FlagKind::value:
      case FlagKind::repeated:
        option = app.add_option(names, raw.values[spec.long_name], help)
                     ->allow_extra_args(false)
                     ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
                     ->type_name(std::string(spec.value_name));
        break;
    }
    (void)option;
  }
}

}  // namespace

std::optional<std::string> process_env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

ParsedCommandLine parse_command_line(int argc, const char* const* argv, const GetEnv& env) {
  check_flag_names(argc, argv);
  CLI::App app{"Command-line client for CometD / Bayeux servers: subscribe to channels as "
               "NDJSON on stdout, publish from stdin.",
               "cometd-cli"};
  app.fallthrough();  // global flags are accepted after the subcommand too
  app.require_subcommand(1);
  app.formatter(std::make_shared<HelpFormatter>());
  app.get_formatter()->column_width(32);
  app.set_version_flag("--version", "cometd-cli " COMETD_VERSION);
  app.footer("Durations accept 500ms, 10s, 2m, 1h and bare seconds. See cometd-cli(1).");
  RawFlags raw;
  add_flags(app, scope::global, raw);
  std::map<std::string_view, std::pair<CLI::App*, std::vector<std::string>>> commands;
  for (const auto& command : command_table()) {
    auto& [sub, args] = commands[command.name];
    sub = app.add_subcommand(std::string(command.name), wrap(std::string(command.summary)));
    if (!command.alias.empty()) {
      sub->alias(std::string(command.alias));
    }
    sub->add_option("args", args, std::string(command.args))->type_name("");
    if (command.scope != 0) {
      add_flags(*sub, command.scope, raw);
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return {std::nullopt, app.exit(e), {}};
  } catch (const CLI::CallForAllHelp& e) {
    return {std::nullopt, app.exit(e), {}};
  } catch (const CLI::CallForVersion& e) {
    return {std::nullopt, app.exit(e), {}};
  } catch (const CLI::ParseError& e) {
    usage_error(e.what());
  }
  auto parsed = [&commands](std::string_view name) -> std::vector<std::string>* {
    auto& [sub, args] = commands[name];
    return sub->parsed() ? &args : nullptr;
  };

  if (auto* args = parsed("completion")) {
    if (args->size() != 1) {
      usage_error("completion takes one of bash, zsh or fish");
    }
    std::string script = completion_script((*args)[0]);
    if (script.empty()) {
      usage_error("completion takes one of bash, zsh or fish, not '" + (*args)[0] + "'");
    }
    return {std::nullopt, 0, std::move(script)};
  }

  Options o;
  o.verbosity = raw.counters["verbose"];
  if (raw.toggles["quiet"]) {
    o.verbosity = -1;
  }
  parse_connection_types(raw, o);
  if (const auto* v = raw.last("timeout")) {
    o.timeout = require_duration("timeout", *v);
    o.timeout_given = true;
  }
  if (const auto* v = raw.last("network-delay")) {
    o.network_delay = require_duration("network-delay", *v);
    if (o.network_delay.count() == 0) {
      usage_error("--network-delay must be more than 0");
    }
  }
  if (const auto* v = raw.last("max-pending")) {
    o.max_pending = parse_count("max-pending", *v, 0);
  }

  if (auto* sub_args = parsed("subscribe")) {
    o.command = Options::Command::subscribe;
    o.channels = take_url(*sub_args, env, o);
    if (o.channels.empty()) {
      usage_error("subscribe needs at least one CHANNEL, such as '/chat/**'");
    }
    check_expanded_glob(o.channels);
    for (const auto& channel : o.channels) {
      check_subscribe_channel(channel);
    }
    if (const auto* v = raw.last("count")) {
      o.count = parse_count("count", *v, 1);
    }
    if (const auto* v = raw.last("duration")) {
      o.duration = require_duration("duration", *v);
    }
    if (const auto* v = raw.last("idle-timeout")) {
      o.idle_timeout = require_duration("idle-timeout", *v);
    }
    parse_replay(raw, o);
    if (const auto* v = raw.last("output")) {
      o.output = parse_output(*v);
    }
    o.meta = raw.toggles["meta"];
    if (o.meta && o.output == OutputFormat::data) {
      usage_error("--meta needs -o json or -o envelope (meta replies have no data)");
    }
    o.stdin_publish = raw.toggles["stdin"];
    parse_stdin_publishing(raw, o);
  } else if (auto* probe_args = parsed("probe")) {
    o.command = Options::Command::probe;
    if (!take_url(*probe_args, env, o).empty()) {
      usage_error("probe takes one URL");
    }
  } else if (auto* call_args = parsed("call")) {
    o.command = Options::Command::call;
    auto rest = take_url(*call_args, env, o);
    if (rest.empty() || rest.size() > 2) {
      usage_error("call takes [URL] /service/CHANNEL [DATA]");
    }
    o.channel = rest[0];
    if (auto error = publish_channel_error(o.channel); !error.empty()) {
      usage_error(error);
    }
    if (!is_service_channel(o.channel)) {
      usage_error("call is for /service/ channels, not " + o.channel +
                  " (use publish for broadcast channels)");
    }
    if (rest.size() == 2) {
      o.data = rest[1];
    }
    o.duration = Millis{10000};
    if (const auto* v = raw.last("duration")) {
      o.duration = require_duration("duration", *v);
    }
  } else {
    o.command = Options::Command::publish;
    auto rest = take_url(*parsed("publish"), env, o);
    if (rest.size() > 2) {
      usage_error("publish takes [URL] [CHANNEL [DATA]]; quote DATA as one argument");
    }
    if (!rest.empty()) {
      o.channel = rest[0];
      if (auto error = publish_channel_error(o.channel); !error.empty()) {
        usage_error(error);
      }
    }
    if (rest.size() == 2) {
      o.data = rest[1];
    }
    parse_stdin_publishing(raw, o);
  }
  if (o.data) {
    // DATA is JSON, passed through as written (minified).
    PublishLineParser parser(o.channel);
    PublishRequest request;
    std::string reason;
    if (!parser.parse(*o.data, request, reason)) {
      usage_error("DATA is " + reason + "; quote a JSON string as '\"text\"'");
    }
    o.data = std::move(request.data);
  }
  parse_headers(raw, env, o);
  parse_extensions(raw, o);
  parse_tls(raw, o);
  choose_proxy(raw, env, o);
  return {std::move(o), 0, {}};
}

}  // namespace cometd
