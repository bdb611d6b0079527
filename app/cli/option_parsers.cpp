#include "cli/option_parsers.hpp"

#include <strings.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base64.hpp"
#include "bayeux/channel.hpp"
#include "bayeux/json_check.hpp"
#include "bayeux/json_out.hpp"
#include "cli/flags.hpp"
#include "duration.hpp"
#include "exit_code.hpp"
#include "header_field.hpp"
#include "make_transport.hpp"
#include "redact.hpp"

namespace cometd {

void usage_error(const std::string& message) { throw Error(ExitCode::usage, message); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

namespace {

bool has_scheme(std::string_view arg) { return arg.find("://") != std::string_view::npos; }

void set_url(const std::string& text, Options& o) {
  std::string error;
  auto url = parse_url(text, error);
  if (!url) {
    usage_error("bad URL '" + redact_url(text) + "': " + error);
  }
  o.url = std::move(*url);
  o.url_text = redact_url(text);
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

}  // namespace

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

std::size_t parse_size(std::string_view name, const std::string& text) {
  const std::string problem = "--" + std::string(name) +
                              " expects a size such as 65536, 512K, 64M or 1G, not '" + text +
                              "'";
  std::size_t i = 0;
  std::uint64_t value = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) && i < 12) {
    value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
    ++i;
  }
  if (i == 0) {
    usage_error(problem);
  }
  std::string suffix = text.substr(i);
  std::transform(suffix.begin(), suffix.end(), suffix.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  unsigned shift = 0;
  if (suffix == "k" || suffix == "kb" || suffix == "kib") {
    shift = 10;
  } else if (suffix == "m" || suffix == "mb" || suffix == "mib") {
    shift = 20;
  } else if (suffix == "g" || suffix == "gb" || suffix == "gib") {
    shift = 30;
  } else if (!suffix.empty() && suffix != "b") {
    usage_error(problem);
  }
  constexpr std::uint64_t k_min = 1024;
  constexpr std::uint64_t k_max = std::uint64_t{4} << 30;
  if (value > (k_max >> shift) || (value << shift) < k_min) {
    usage_error("--" + std::string(name) + " " + text + " is out of range (1K to 4G)");
  }
  return static_cast<std::size_t>(value << shift);
}

Millis require_duration(std::string_view name, const std::string& text) {
  auto duration = parse_duration(text);
  if (!duration) {
    usage_error("--" + std::string(name) + " expects a duration such as 500ms, 10s, 2m or 1h, not '" +
                text + "'");
  }
  if (*duration > k_max_duration) {
    usage_error("--" + std::string(name) + " " + text + " is over 10 years; 0 means no limit");
  }
  return *duration;
}

std::optional<Millis> parse_limit(std::string_view name, const std::string& text) {
  const Millis duration = require_duration(name, text);
  return duration.count() == 0 ? std::nullopt : std::optional<Millis>(duration);
}

std::optional<std::pair<std::string, std::string>> parse_header(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view name = trim(text.substr(0, colon));
  const std::string_view value = trim(text.substr(colon + 1));
  if (!header_field_error("-H", name, value).empty()) {
    return std::nullopt;
  }
  return std::make_pair(std::string(name), std::string(value));
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
    if (!is_header_value(*bearer)) {
      usage_error("the bearer token holds a line break or another control character");
    }
    o.headers.emplace_back("Authorization", "Bearer " + *bearer);
  }
  if (!o.url.userinfo.empty() && !has_authorization()) {
    o.headers.emplace_back("Authorization", "Basic " + base64(percent_decode(o.url.userinfo)));
  }
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

void choose_proxy(const RawFlags& raw, const GetEnv& env, Options& o) {
  auto first_of = [&env](const char* a, const char* b) -> std::string {
    auto v = env(a);
    if ((!v || v->empty()) && b != nullptr) {
      v = env(b);
    }
    return v ? *v : std::string();
  };
  std::string text;
  std::string source;
  const bool given = raw.last("proxy") != nullptr;
  if (given) {
    text = *raw.last("proxy");
    source = "--proxy";
    if (!text.empty() && text.find("://") == std::string::npos) {
      usage_error("--proxy expects an http:// URL with a host (http://proxy:3128), not '" +
                  redact_url(text) + "'");
    }
  } else {
    // curl's rules: the scheme's variable, lower case first; for http only the lower-case
    // http_proxy (an upper-case HTTP_PROXY can come from a request header in CGI, httpoxy);
    // then ALL_PROXY.
    if (o.url.tls()) {
      text = first_of("https_proxy", "HTTPS_PROXY");
      source = env("https_proxy").value_or("").empty() ? "HTTPS_PROXY" : "https_proxy";
    } else {
      text = first_of("http_proxy", nullptr);
      source = "http_proxy";
    }
    if (text.empty()) {
      text = first_of("all_proxy", "ALL_PROXY");
      source = env("all_proxy").value_or("").empty() ? "ALL_PROXY" : "all_proxy";
    }
  }
  if (text.empty() || no_proxy_matches(first_of("no_proxy", "NO_PROXY"), o.url.host)) {
    return;
  }
  if (text.find("://") == std::string::npos) {
    text = "http://" + text;  // the environment's proxy:3128, as curl reads it
  }
  std::string error;
  auto proxy = parse_url(text, error);
  if (!proxy) {
    usage_error("bad proxy URL in " + source + " '" + redact_url(text) + "': " + error);
  }
  if (proxy->scheme != "http") {
    usage_error("the proxy in " + source + " must be an http:// proxy, not " + proxy->scheme +
                (proxy->scheme == "https" ? " (TLS to the proxy itself is not supported)" : ""));
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
  if (value == "pretty") {
    return OutputFormat::pretty;
  }
  usage_error("-o expects json, envelope, data or pretty, not '" + value + "'");
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

}  // namespace cometd
