#include "cli/options.hpp"

#include <CLI/CLI.hpp>
#include <strings.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>

#include "bayeux/channel.hpp"
#include "exit_code.hpp"
#include "cli/completion.hpp"
#include "duration.hpp"
#include "cli/flags.hpp"
#include "bayeux/json_check.hpp"
#include "bayeux/json_out.hpp"
#include "make_transport.hpp"
#include "io/publish_line.hpp"
#include "redact.hpp"

namespace cometd {

namespace {

[[noreturn]] void usage_error(const std::string& message) {
  throw Error(ExitCode::usage, message);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

bool has_scheme(std::string_view arg) { return arg.find("://") != std::string_view::npos; }

std::string base64(std::string_view in) {
  static constexpr char k_alphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += k_alphabet[(n >> 6) & 63];
    out += k_alphabet[n & 63];
  }
  if (i < in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) {
      n |= static_cast<unsigned char>(in[i + 1]) << 8;
    }
    out += k_alphabet[(n >> 18) & 63];
    out += k_alphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? k_alphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::uint64_t parse_count(std::string_view name, const std::string& text, std::uint64_t min) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || end == nullptr || *end != '\0' || errno != 0 ||
      value < min) {
    usage_error("--" + std::string(name) + " expects a whole number" +
                (min > 0 ? " of at least " + std::to_string(min) : std::string(" (0 or more)")) +
                ", not '" + text + "'");
  }
  return value;
}

Millis require_duration(std::string_view name, const std::string& text) {
  auto duration = parse_duration(text);
  if (!duration) {
    usage_error("--" + std::string(name) + " expects a duration such as 500ms, 10s, 2m or 1h, not '" +
                text + "'");
  }
  return *duration;
}

/// The values CLI11 collected for the flag table, by long name.
struct RawFlags {
  std::map<std::string_view, std::vector<std::string>> values;
  std::map<std::string_view, int> counters;
  std::map<std::string_view, bool> toggles;

  const std::string* last(std::string_view name) const {
    auto it = values.find(name);
    return it == values.end() || it->second.empty() ? nullptr : &it->second.back();
  }
};

/// Help text wrapped for a terminal; CLI11 indents the continuation lines.
std::string wrap(const std::string& text, std::size_t width = 68) {
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

/// --help as cometd-cli(1) shows it: "cometd-cli [OPTIONS] subscribe URL CHANNEL...", values
/// by name, no CLI11 "..." markers, the arguments in the usage line.
class HelpFormatter final : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string) const override {
    if (app->get_parent() == nullptr) {
      return "Usage: cometd-cli [OPTIONS] COMMAND [ARGS]\n";
    }
    for (const auto& command : command_table()) {
      if (command.name == app->get_name()) {
        return "Usage: cometd-cli [OPTIONS] " + std::string(command.name) + " " +
               std::string(command.args) + "\n";
      }
    }
    return {};
  }
  std::string make_positionals(const CLI::App*) const override { return {}; }
  std::string make_option_opts(const CLI::Option* option) const override {
    const std::string type = option->get_type_name();
    return type.empty() ? std::string() : " " + type;
  }
};

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

void parse_connection_types(const RawFlags& raw, Options& o) {
  std::vector<std::string> wanted;
  auto it = raw.values.find("connection-type");
  std::vector<std::string> given = it == raw.values.end() ? std::vector<std::string>{}
                                                          : it->second;
  if (given.empty()) {
    given.emplace_back(flag("connection-type").default_text);
  }
  for (const auto& value : given) {
    std::string_view rest = value;
    while (true) {
      const auto comma = rest.find(',');
      const std::string type(trim(rest.substr(0, comma)));
      if (type != "websocket" && type != "long-polling") {
        usage_error("unknown connection type '" + type + "' (use websocket or long-polling)");
      }
      if (std::find(wanted.begin(), wanted.end(), type) == wanted.end()) {
        wanted.push_back(type);
      }
      if (comma == std::string_view::npos) {
        break;
      }
      rest = rest.substr(comma + 1);
    }
  }
  o.strict_connection_type = wanted.size() == 1;
  const auto& available = available_connection_types();
  for (const auto& type : wanted) {
    if (std::find(available.begin(), available.end(), type) != available.end()) {
      o.connection_types.push_back(type);
    }
  }
  if (o.connection_types.empty()) {
    usage_error("this build of cometd-cli has no " + wanted.front() +
                " transport yet; use --connection-type long-polling");
  }
}

void parse_headers(const RawFlags& raw, const GetEnv& env, Options& o) {
  if (auto it = raw.values.find("header"); it != raw.values.end()) {
    for (const auto& text : it->second) {
      auto header = parse_header(text);
      if (!header) {
        usage_error("-H expects 'Name: value', not '" + redact_header_argument(text) + "'");
      }
      o.headers.push_back(std::move(*header));
    }
  }
  auto has_authorization = [&o] {
    return std::any_of(o.headers.begin(), o.headers.end(), [](const auto& h) {
      return strcasecmp(h.first.c_str(), "Authorization") == 0;
    });
  };
  std::optional<std::string> bearer;
  if (const auto* value = raw.last("bearer")) {
    bearer = *value;
  } else {
    bearer = env("COMETD_TOKEN");
  }
  if (bearer && !bearer->empty() && !has_authorization()) {
    if (bearer->find_first_of("\r\n") != std::string::npos) {
      usage_error("the bearer token holds a line break");
    }
    o.headers.emplace_back("Authorization", "Bearer " + *bearer);
  }
  if (!o.url.userinfo.empty() && !has_authorization()) {
    o.headers.emplace_back("Authorization", "Basic " + base64(percent_decode(o.url.userinfo)));
  }
}

void set_url(const std::string& text, Options& o) {
  std::string error;
  auto url = parse_url(text, error);
  if (!url) {
    usage_error("bad URL '" + redact_url(text) + "': " + error);
  }
  o.url = std::move(*url);
  o.url_text = redact_url(text);
}

/// Splits the positional arguments into URL (or COMETD_URL) and the rest.
std::vector<std::string> take_url(std::vector<std::string> args, const GetEnv& env, Options& o) {
  if (!args.empty() && has_scheme(args.front())) {
    set_url(args.front(), o);
    args.erase(args.begin());
    return args;
  }
  if (auto from_env = env("COMETD_URL"); from_env && !from_env->empty()) {
    set_url(*from_env, o);
    return args;
  }
  if (args.empty() || (!args.front().empty() && args.front().front() == '/')) {
    usage_error("no server URL given (and COMETD_URL is not set)");
  }
  usage_error("'" + args.front() +
              "' is not a URL: expected http://host[:port]/path (or set COMETD_URL)");
}

void check_subscribe_channel(const std::string& channel) {
  if (auto error = channel_error(channel)) {
    const bool missing_slash = !channel.empty() && channel.front() != '/';
    usage_error("invalid channel '" + channel + "': " + *error +
                (missing_slash ? " (did you mean '/" + channel + "'?)" : std::string()));
  }
  if (is_meta_channel(channel)) {
    usage_error("cannot subscribe to the meta channel " + channel +
                " (use --meta to see meta replies)");
  }
}

/// A file named on the command line must be readable: exit 66 otherwise.
void require_readable(std::string_view flag_name, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    throw Error(ExitCode::no_input, "cannot read " + std::string(flag_name) + " " + path + ": " +
                                        std::strerror(errno));
  }
  std::fclose(f);
}

void parse_tls(const RawFlags& raw, Options& o) {
  if (const auto* v = raw.last("cacert")) {
    require_readable("--cacert", *v);
    o.tls.cacert = *v;
  }
  if (const auto* v = raw.last("cert")) {
    require_readable("--cert", *v);
    o.tls.cert = *v;
  }
  if (const auto* v = raw.last("key")) {
    if (o.tls.cert.empty()) {
      usage_error("--key needs --cert");
    }
    require_readable("--key", *v);
    o.tls.key = *v;
  }
  auto it = raw.toggles.find("insecure");
  o.tls.insecure = it != raw.toggles.end() && it->second;
}

/// --proxy, else https_proxy/HTTPS_PROXY for https and wss, http_proxy/HTTP_PROXY for http and
/// ws (the lower-case form wins, as with curl); NO_PROXY/no_proxy excludes hosts.
void choose_proxy(const RawFlags& raw, const GetEnv& env, Options& o) {
  auto first_of = [&env](const char* a, const char* b) -> std::string {
    auto v = env(a);
    if (!v || v->empty()) {
      v = env(b);
    }
    return v ? *v : std::string();
  };
  std::string text;
  std::string source;
  if (const auto* v = raw.last("proxy")) {
    text = *v;
    source = "--proxy";
  } else if (o.url.tls()) {
    text = first_of("https_proxy", "HTTPS_PROXY");
    source = "HTTPS_PROXY";
  } else {
    text = first_of("http_proxy", "HTTP_PROXY");
    source = "HTTP_PROXY";
  }
  if (text.empty() || no_proxy_matches(first_of("no_proxy", "NO_PROXY"), o.url.host)) {
    return;
  }
  if (text.find("://") == std::string::npos) {
    text = "http://" + text;
  }
  std::string error;
  auto proxy = parse_url(text, error);
  if (!proxy) {
    usage_error("bad proxy URL in " + source + " '" + redact_url(text) + "': " + error);
  }
  if (proxy->scheme != "http") {
    usage_error("the proxy in " + source + " must be an http:// proxy, not " + proxy->scheme);
  }
  o.proxy = std::move(*proxy);
}

void parse_extensions(const RawFlags& raw, Options& o) {
  if (auto it = raw.values.find("ext"); it != raw.values.end()) {
    for (const auto& value : it->second) {
      const auto eq = value.find('=');
      const std::string name = value.substr(0, eq);
      if (name != "ack" && name != "replay" && name != "timesync") {
        usage_error("unknown --ext '" + name + "' (built-ins: ack, replay, timesync)");
      }
      if (eq != std::string::npos && name != "replay") {
        usage_error("--ext " + name + " takes no argument");
      }
      if (eq != std::string::npos && !raw.last("replay-from")) {
        o.replay.from = value.substr(eq + 1);
        o.replay.from_given = true;
      }
      if (std::find(o.builtin_extensions.begin(), o.builtin_extensions.end(), name) ==
          o.builtin_extensions.end()) {
        o.builtin_extensions.push_back(name);
      }
    }
  }
  if (auto it = raw.values.find("ext-plugin"); it != raw.values.end()) {
    for (const auto& value : it->second) {
      const auto colon = value.find(':');
      o.plugins.emplace_back(value.substr(0, colon),
                             colon == std::string::npos ? std::string() : value.substr(colon + 1));
      if (o.plugins.back().first.empty()) {
        usage_error("--ext-plugin needs a PATH");
      }
    }
  }
  if (const auto* v = raw.last("auth-command")) {
    if (v->empty()) {
      usage_error("--auth-command needs a command");
    }
    o.auth_command = *v;
  }
  if (const auto* v = raw.last("handshake-ext")) {
    std::string text = *v;
    text.reserve(text.size() + 64);
    JsonValidator validator;
    std::string why;
    const std::string_view trimmed = trim_json_whitespace(text);
    if (!validator.validate(text, why) || trimmed.empty() || trimmed.front() != '{') {
      usage_error("--handshake-ext expects a JSON object such as '{\"auth\":{\"token\":\"…\"}}'");
    }
    append_minified(o.handshake_ext, trimmed);
  }
}

void parse_replay(const RawFlags& raw, Options& o) {
  if (const auto* v = raw.last("replay-from")) {
    const std::string& text = *v;
    const bool integer = !text.empty() &&
                         std::all_of(text.begin() + (text[0] == '-' ? 1 : 0), text.end(),
                                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
                         text != "-";
    if (!integer || (text[0] == '-' && text != "-1" && text != "-2")) {
      usage_error("--replay-from expects -1 (new events), -2 (all retained) or a replay id");
    }
    o.replay.from = text;
    o.replay.from_given = true;
  }
  if (const auto* v = raw.last("replay-store")) {
    o.replay.store = *v;
  }
  if ((raw.last("replay-from") || raw.last("replay-store")) &&
      std::find(o.builtin_extensions.begin(), o.builtin_extensions.end(), "replay") ==
          o.builtin_extensions.end()) {
    o.builtin_extensions.push_back("replay");
  }
}

}  // namespace

std::optional<std::string> process_env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::nullopt : std::optional<std::string>(value);
}

std::optional<std::pair<std::string, std::string>> parse_header(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view name = trim(text.substr(0, colon));
  const std::string_view value = trim(text.substr(colon + 1));
  if (name.empty() || text.find_first_of("\r\n") != std::string_view::npos) {
    return std::nullopt;
  }
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '(' || c == ')' || c == ',' || c == ';' || c == '"') {
      return std::nullopt;
    }
  }
  return std::make_pair(std::string(name), std::string(value));
}

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

/// The shell expands an unquoted wildcard into the paths it matches: explain it.
void check_expanded_glob(const std::vector<std::string>& channels) {
  std::vector<std::string> paths;
  for (const auto& channel : channels) {
    struct stat st {};
    if (::stat(channel.c_str(), &st) == 0) {
      paths.push_back(channel);
    }
  }
  if (paths.size() >= 2 || (paths.size() == 1 && channels.size() == 1 &&
                            paths[0].find('.') != std::string::npos)) {
    const std::string parent = paths[0].substr(0, paths[0].rfind('/'));
    usage_error("the channels " + paths[0] + (paths.size() > 1 ? " " + paths[1] + "..." : "") +
                " are files on this machine: did the shell expand a wildcard? Quote it: '" +
                (parent.empty() ? std::string("/") : parent) + "/*'");
  }
}

OutputFormat parse_output(const std::string& value) {
  if (value == "json") {
    return OutputFormat::json;
  }
  if (value == "envelope") {
    return OutputFormat::envelope;
  }
  if (value == "data") {
    return OutputFormat::data;
  }
  usage_error("-o expects json, envelope or data, not '" + value + "'");
}

void parse_stdin_publishing(const RawFlags& raw, Options& o) {
  if (const auto* v = raw.last("max-inflight")) {
    o.max_inflight = parse_count("max-inflight", *v, 1);
  }
  auto acks = raw.toggles.find("acks");
  o.acks = acks != raw.toggles.end() && acks->second;
  if (const auto* v = raw.last("on-error")) {
    if (*v != "skip" && *v != "abort") {
      usage_error("--on-error expects skip or abort, not '" + *v + "'");
    }
    o.abort_on_error = *v == "abort";
  }
}

}  // namespace

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
