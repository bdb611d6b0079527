#include "cli/flags.hpp"

#include <stdexcept>
#include <string>

namespace cometd {

const std::vector<FlagSpec>& flag_table() {
  constexpr unsigned G = scope::global;
  constexpr unsigned SUB = scope::subscribe;
  constexpr unsigned PUB = scope::publish;
  constexpr unsigned CALL = scope::call;
  constexpr unsigned PROBE = scope::probe;
  constexpr unsigned BENCH = scope::bench;
  using K = FlagKind;
  using C = FlagCompletion;
  static const std::vector<FlagSpec> table = {
      // global
      {"connection-type", 0, "TYPE[,TYPE]", G, K::repeated, C::choice,
       "Transport preference order, intersected with what the server offers; a single type is "
       "strict (exit 69 when the server does not offer it)",
       "websocket,long-polling", "",
       {{"websocket", "WebSocket only"},
        {"long-polling", "HTTP long-polling only"},
        {"websocket,long-polling", "WebSocket, else long-polling"},
        {"long-polling,websocket", "long-polling, else WebSocket"}}},
      {"timeout", 0, "DURATION", G, K::value, C::duration,
       "How long to keep trying before giving up: to connect at first (69), and for publish, "
       "call and probe throughout; a subscribe that has connected retries a lost connection "
       "until it is back unless --timeout is given (then 75); 0 never gives up",
       "10s", "",
       {}},
      {"max-pending", 0, "N", G, K::value, C::number,
       "Received messages held ahead of stdout; when full, stop fetching until the reader "
       "catches up; 0 is unbounded",
       "100", "", {}},
      {"max-message-size", 0, "SIZE", G, K::value, C::text,
       "Largest reply body or WebSocket message accepted (K, M, G suffixes, powers of 1024); a "
       "bigger one ends the run (exit 76)",
       "64M", "", {}},
      {"ext-plugin", 0, "PATH[:ARG]", G, K::repeated, C::file,
       "Load an extension plugin (the C ABI of cometd_plugin.h); the text after the first ':' "
       "is handed to it; applied in command-line order",
       "", "", {}},
      {"ext", 0, "NAME[=ARG]", G, K::repeated, C::choice,
       "Built-in extension: ack (no message lost across reconnects), replay (Salesforce "
       "durable streaming; ARG is --replay-from), timesync (server clock offset at -v)",
       "", "",
       {{"ack", "no message lost across reconnects"},
        {"replay", "Salesforce durable streaming"},
        {"timesync", "server clock offset at -v"}}},
      {"auth-command", 0, "CMD", G, K::value, C::text,
       "Credential helper run with /bin/sh -c before the handshake and after each "
       "authentication failure; it prints a token (sent as Authorization: Bearer) or "
       "{\"headers\":{...},\"ext\":{...}}",
       "", "", {}},
      {"header", 'H', "'NAME: VALUE'", G, K::repeated, C::text,
       "Extra HTTP header on every request and on the WebSocket upgrade", "", "",
       {}},
      {"bearer", 0, "TOKEN", G, K::value, C::text,
       "Send 'Authorization: Bearer TOKEN'", "", "COMETD_TOKEN", {}},
      {"cacert", 0, "FILE", G, K::value, C::file,
       "Trust the CA certificates in this PEM file instead of the system store", "", "", {}},
      {"cert", 0, "FILE", G, K::value, C::file,
       "Client certificate (PEM) for TLS; its key from --key, or from the same file", "", "",
       {}},
      {"key", 0, "FILE", G, K::value, C::file, "Private key (PEM) of --cert", "", "", {}},
      {"insecure", 'k', "", G, K::toggle, C::none,
       "Do not verify the server's TLS certificate or host name (warns on stderr)", "", "", {}},
      {"proxy", 0, "URL", G, K::value, C::text,
       "HTTP proxy (http://host:port) for both transports (CONNECT tunnel for TLS and "
       "WebSocket); \"\" for none",
       "", "https_proxy, HTTPS_PROXY, http_proxy, ALL_PROXY, NO_PROXY", {}},
      {"handshake-ext", 0, "JSON", G, K::value, C::text,
       "A JSON object merged into the ext of /meta/handshake", "", "", {}},
      {"network-delay", 0, "DURATION", G, K::value, C::duration,
       "Per-request allowance on top of the server's advice.timeout; 0 is no limit", "10s", "",
       {}},
      {"verbose", 'v', "", G, K::counter, C::none,
       "More on stderr: -v status, -vv Bayeux messages, -vvv HTTP detail (secrets redacted)",
       "", "", {}},
      {"trace", 0, "FILE", G, K::value, C::file,
       "Write one NDJSON record per wire and session event to FILE (- for stderr), each with "
       "a microsecond time: HTTP requests and responses with their timings, WebSocket "
       "upgrades, frames and closes, every Bayeux message in and out, and the session's "
       "losses, reconnects and resubscriptions; secrets redacted as at -vvv",
       "", "", {}},
      {"quiet", 'q', "", G, K::toggle, C::none,
       "Only the final error on stderr, no warnings", "", "", {}},
      {"version", 0, "", G, K::action, C::none, "Print the version and exit", "", "", {}},
      {"help", 'h', "", G, K::action, C::none,
       "Print the options (of the subcommand, after it) and exit", "", "", {}},
      // subscribe
      {"count", 'C', "N", SUB, K::value, C::number, "Exit 0 after N messages", "", "",
       {}},
      {"duration", 0, "DURATION", SUB, K::value, C::duration,
       "Stop after this long: exit 0, or 124 if --count was given and not reached; 0 is no "
       "limit",
       "", "", {}},
      {"idle-timeout", 0, "DURATION", SUB, K::value, C::duration,
       "Exit 0 when no message arrived for this long; 0 is no limit", "", "", {}},
      {"output", 'o', "FORMAT", SUB, K::value, C::choice,
       "Output records: json (each message as sent, one line), envelope (seq, ts, "
       "subscription, message), data (the data value alone) or pretty (for people: a header "
       "line with the local time, channel and matching subscription, then the data as "
       "indented, coloured JSON)",
       "pretty on a terminal, else json", "",
       {{"json", "each message as sent"},
        {"envelope", "seq, ts, subscription, message"},
        {"data", "the data value alone"},
        {"pretty", "header line and indented, coloured data"}}},
      {"color", 0, "WHEN", SUB, K::value, C::choice,
       "Colour the -o pretty JSON: auto (when stdout is a terminal and NO_COLOR is unset or "
       "empty), always or never",
       "auto", "NO_COLOR",
       {{"auto", "on a terminal, unless NO_COLOR is set"},
        {"always", "even into a pipe or file"},
        {"never", "plain text"}}},
      {"meta", 0, "", SUB, K::toggle, C::none,
       "Also write the /meta/* replies (handshake, connect, subscribe...); they do not count "
       "toward --count",
       "", "", {}},
      {"stdin", 'i', "", SUB, K::toggle, C::none,
       "Also publish the requests read from stdin, in the same session (EOF does not end the "
       "subscription; --acks, --on-error and --max-inflight apply)",
       "", "", {}},
      {"replay-from", 0, "-1|-2|ID", SUB, K::value, C::text,
       "Replay start for every channel: -1 new events only, -2 all retained, or after the "
       "event ID (turns on --ext replay)",
       "-1", "", {}},
      {"replay-store", 0, "FILE", SUB, K::value, C::file,
       "Keep the last replay id written to stdout per channel in FILE (a JSON object, "
       "written atomically) and start from it next time (turns on --ext replay)",
       "", "", {}},
      // publish
      {"max-inflight", 0, "N", PUB | SUB, K::value, C::number,
       "Publishes awaiting their reply; stdin is not read past it", "100", "", {}},
      {"acks", 0, "", PUB | SUB, K::toggle, C::none,
       "Write a record for each stdin line to stdout, in line order: {\"line\",\"channel\",\"id\","
       "\"successful\"[,\"error\"]}, the publish reply or why the line is bad",
       "", "", {}},
      {"on-error", 0, "POLICY", PUB | SUB, K::value, C::choice,
       "Bad stdin line policy: skip it, or abort (after publishing the lines before it)", "skip",
       "",
       {{"skip", "report a bad line and go on"},
        {"abort", "stop at the first bad line, after the lines before it"}}},
      {"raw", 0, "", PUB, K::toggle, C::none,
       "Publish each stdin line (or DATA) as a JSON string, without parsing it: plain text "
       "straight to CHANNEL",
       "", "", {}},
      // call
      {"duration", 0, "DURATION", CALL, K::value, C::duration,
       "How long to wait for the reply, then exit 124; 0 waits as long as it takes", "10s", "",
       {}},
      // probe
      {"format", 0, "FORMAT", PROBE, K::value, C::choice,
       "The report: json (one object), text (aligned, for people), nagios (a status line with "
       "performance data; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN) or prometheus (the text "
       "exposition format)",
       "json", "",
       {{"json", "one JSON object"},
        {"text", "an aligned report for people"},
        {"nagios", "a status line, performance data, exit 0-3"},
        {"prometheus", "metrics in the text exposition format"}}},
      {"warn", 0, "DURATION", PROBE, K::value, C::duration,
       "With --format nagios: WARNING (exit 1) when the slowest step (a handshake, a first "
       "connect or a message's round trip) took longer, such as 500ms",
       "", "", {}},
      {"crit", 0, "DURATION", PROBE, K::value, C::duration,
       "With --format nagios: CRITICAL (exit 2) when the slowest step took longer, such as 2s",
       "", "", {}},
      // bench
      {"clients", 0, "N", BENCH, K::value, C::number,
       "Simulated clients: each a Bayeux session of its own, with its own cookie jar", "10", "",
       {}},
      {"rooms", 0, "N", BENCH, K::value, C::number,
       "Channels the clients share (/bench/RUN/0, /bench/RUN/1, ...)", "1", "", {}},
      {"rooms-per-client", 0, "N", BENCH, K::value, C::number,
       "Rooms each client subscribes to (client i: rooms i*N .. i*N+N-1, modulo --rooms)", "1",
       "", {}},
      {"publishers", 0, "N", BENCH, K::value, C::number,
       "Clients that publish, each to its rooms in turn", "every client", "", {}},
      {"rate", 0, "MSGS/S", BENCH, K::value, C::number,
       "Messages per second from all publishers together, at a fixed schedule whatever the "
       "server does (open loop); 0 is closed loop: each publisher sends its next batch when "
       "the last one is acknowledged",
       "100", "", {}},
      {"size", 0, "BYTES", BENCH, K::value, C::number,
       "Bytes of each message's data (its publisher, sequence number and intended send time, "
       "padded)",
       "100", "", {}},
      {"batch", 0, "N", BENCH, K::value, C::number,
       "Messages a publisher sends together in one request", "1", "", {}},
      {"duration", 0, "DURATION", BENCH, K::value, C::duration,
       "Measured publishing time, after --warmup; 0 runs until --messages or SIGINT", "10s", "",
       {}},
      {"messages", 0, "N", BENCH, K::value, C::number,
       "Stop after N measured messages in all (instead of the default --duration)", "", "", {}},
      {"warmup", 0, "DURATION", BENCH, K::value, C::duration,
       "Publish this long before measuring: those messages are counted, not timed", "0", "", {}},
      {"ramp", 0, "DURATION", BENCH, K::value, C::duration,
       "Spread the clients' handshakes over this long", "0", "", {}},
      {"churn", 0, "CLIENTS/S", BENCH, K::value, C::number,
       "Clients leaving per second during the run, each replaced by a new one (a new session "
       "and cookie jar) in its rooms",
       "0", "", {}},
      {"json", 0, "", BENCH, K::toggle, C::none,
       "Print the results as one JSON object even on a terminal", "", "", {}},
      {"histogram", 0, "FILE", BENCH, K::value, C::file,
       "Write the latency distribution in HdrHistogram's .hgrm text form (milliseconds)", "", "",
       {}},
      {"csv", 0, "FILE", BENCH, K::value, C::file,
       "Write one row per client: sent, received, rates, lost, duplicated, reconnects", "", "",
       {}},
  };
  return table;
}

const std::vector<CommandSpec>& command_table() {
  static const std::vector<CommandSpec> table = {
      {"subscribe", "sub", "URL CHANNEL...",
       "Subscribe to the CHANNELs; write each message received as one JSON line on stdout",
       scope::subscribe},
      {"publish", "pub", "URL [CHANNEL [DATA]]",
       "Publish DATA to CHANNEL, or each stdin line: its data (with CHANNEL) or a request "
       "{\"channel\":...,\"data\":...}",
       scope::publish},
      {"call", "", "URL /service/CHANNEL [DATA]",
       "Publish DATA (or stdin) to a service channel and print the reply message",
       scope::call},
      {"probe", "", "URL",
       "Handshake over each transport at once and publish a message to itself; print one report "
       "of what the server offers and what works",
       scope::probe},
      {"bench", "", "URL",
       "Load-test the server with many simulated clients in rooms; report latency (free of "
       "coordinated omission), loss, duplicates and rates",
       scope::bench},
      {"completion", "", "bash|zsh|fish", "Print the shell completion script", 0},
      {"help", "", "[COMMAND]", "Print the help of cometd-cli, or of COMMAND", 0},
  };
  return table;
}

const CommandSpec* find_command(std::string_view word) {
  for (const auto& command : command_table()) {
    if (word == command.name || (!command.alias.empty() && word == command.alias)) {
      return &command;
    }
  }
  return nullptr;
}

std::vector<const FlagSpec*> flags_of(const CommandSpec& command) {
  std::vector<const FlagSpec*> out;
  for (const auto& spec : flag_table()) {
    if (command.scope != 0 && (spec.scopes & command.scope) != 0) {
      out.push_back(&spec);
    }
  }
  return out;
}

const FlagSpec& flag(std::string_view long_name) {
  for (const auto& spec : flag_table()) {
    if (spec.long_name == long_name) {
      return spec;
    }
  }
  throw std::logic_error("no flag --" + std::string(long_name));
}

}  // namespace cometd
