// The command line as plain data: parsed by CLI11 from the flag table, validated here.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_options.hpp"
#include "builtins.hpp"
#include "io/output.hpp"
#include "tls.hpp"
#include "session/transport.hpp"
#include "url.hpp"

namespace cometd {

using Millis = std::chrono::milliseconds;

struct Options {
  enum class Command { subscribe, publish, call, probe, bench };
  Command command = Command::subscribe;

  Url url;
  std::string url_text;  ///< as given, for messages (credentials redacted)

  // global
  std::vector<std::string> connection_types;  ///< usable ones, in preference order
  bool strict_connection_type = false;
  Millis timeout{10000};
  bool timeout_given = false;  ///< --timeout was on the command line (subscribe: lost = 75)
  Millis network_delay{10000};  ///< --network-delay 0: k_network_delay_no_limit
  std::size_t max_pending = 100;  ///< 0: unbounded
  std::size_t max_message_size = std::size_t{64} << 20;  ///< --max-message-size, in bytes
  Headers headers;
  TlsOptions tls;
  std::optional<Url> proxy;  ///< chosen for this URL from --proxy or the environment
  std::vector<std::string> builtin_extensions;  ///< --ext, in order (replay added when asked)
  std::vector<std::pair<std::string, std::string>> plugins;  ///< --ext-plugin (path, arg)
  std::string auth_command;
  std::string handshake_ext;  ///< a JSON object, minified
  int verbosity = 0;  ///< -1 quiet, 0 warnings, 1 -v, 2 -vv, 3 -vvv
  std::string trace;  ///< --trace FILE ("-": stderr); empty: off

  // subscribe
  std::vector<std::string> channels;
  std::optional<std::uint64_t> count;
  std::optional<Millis> duration;      ///< subscribe, call; none: no limit
  std::optional<Millis> idle_timeout;  ///< none: no limit
  bool meta = false;           ///< --meta: /meta/* replies on stdout too
  bool stdin_publish = false;  ///< subscribe -i
  OutputFormat output = OutputFormat::json;
  bool output_given = false;  ///< -o was on the command line (else pretty on a terminal)
  enum class Color { automatic, always, never };
  Color color_mode = Color::automatic;
  bool color = false;  ///< -o pretty paints (resolve_terminal_defaults)
  ReplayOptions replay;

  // probe
  enum class ProbeFormat { json, text, nagios, prometheus };
  ProbeFormat probe_format = ProbeFormat::json;
  std::optional<Millis> probe_warn;  ///< --warn: nagios WARNING when the slowest step is over
  std::optional<Millis> probe_crit;  ///< --crit: nagios CRITICAL

  // publish
  std::string channel;              ///< publish URL CHANNEL [DATA], call URL CHANNEL [DATA]
  std::optional<std::string> data;  ///< one-shot publish or call; minified JSON
  std::size_t max_inflight = 100;
  bool acks = false;
  bool abort_on_error = false;
  bool raw = false;  ///< --raw: each line (or DATA) is text, sent as a JSON string

  BenchOptions bench;
};

/// Reads an environment variable; injected so that tests control the environment.
using GetEnv = std::function<std::optional<std::string>(const char* name)>;

/// The process environment.
std::optional<std::string> process_env(const char* name);

/// What the command line asks for: run with options, or exit at once (--help, errors).
struct ParsedCommandLine {
  std::optional<Options> options;  ///< set: run
  int exit_code = 0;               ///< otherwise: exit with this (help already printed)
  std::string print;               ///< ... after printing this on stdout (completion)
};

/// What depends on stdout being a terminal: without -o, subscribe writes -o pretty to a
/// terminal and json elsewhere; --color auto paints only on a terminal and when NO_COLOR is
/// unset or empty (--color always and never win over NO_COLOR, as no-color.org asks).
void resolve_terminal_defaults(Options& options, bool stdout_is_terminal, const GetEnv& env);

/// Parses argv. Prints --help to stdout; throws cometd::Error(ExitCode::usage) on a usage error.
ParsedCommandLine parse_command_line(int argc, const char* const* argv, const GetEnv& env);

}  // namespace cometd
