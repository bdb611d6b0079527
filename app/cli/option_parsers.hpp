// The parsers of option values: durations, counts, headers, connection types, the URL, TLS
// files, the proxy, extensions, replay, output formats. Each fills Options or throws
// Error(usage) (66 for an unreadable file) with a message that says what is wrong.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli/options.hpp"

namespace cometd {

/// Throws Error(ExitCode::usage, message).
[[noreturn]] void usage_error(const std::string& message);

/// The values collected for the flag table, by long name.
struct RawFlags {
  std::map<std::string_view, std::vector<std::string>> values;
  std::map<std::string_view, int> counters;
  std::map<std::string_view, bool> toggles;

  const std::string* last(std::string_view name) const {
    auto it = values.find(name);
    return it == values.end() || it->second.empty() ? nullptr : &it->second.back();
  }
};

/// `s` without spaces and tabs at either end.
std::string_view trim(std::string_view s);

/// The longest duration an option takes: 10 years (99999999h is a typo, not a wish; a
/// steady_timer counts nanoseconds in 64 bits, 292 years).
constexpr Millis k_max_duration{Millis::rep{3652} * 24 * 3600 * 1000};

/// What --network-delay 0 (no limit) stands for, and the most it takes: 20 days, the longest
/// wait cpp-httplib can express (its poll(2) timeout is an int of milliseconds, with the
/// server's advice.timeout on top).
constexpr Millis k_network_delay_no_limit{Millis::rep{20} * 24 * 3600 * 1000};

/// A whole number of at least `min` for --NAME.
std::uint64_t parse_count(std::string_view name, const std::string& text, std::uint64_t min);
/// A size for --NAME: bytes, or K/M/G (KiB/MiB/GiB, powers of 1024); 1 KiB to 4 GiB.
std::size_t parse_size(std::string_view name, const std::string& text);
/// A duration for --NAME, 10 years at most.
Millis require_duration(std::string_view name, const std::string& text);
/// A duration for --NAME where 0 means no limit (nullopt).
std::optional<Millis> parse_limit(std::string_view name, const std::string& text);

/// One -H value, "Name: value"; nullopt when malformed.
std::optional<std::pair<std::string, std::string>> parse_header(std::string_view text);

void parse_connection_types(const RawFlags& raw, Options& o);
/// -H, --bearer (or COMETD_TOKEN) and the URL's credentials, as headers.
void parse_headers(const RawFlags& raw, const GetEnv& env, Options& o);
/// Splits the positional arguments into URL (or COMETD_URL) and the rest.
std::vector<std::string> take_url(std::vector<std::string> args, const GetEnv& env, Options& o);
void check_subscribe_channel(const std::string& channel);
/// The shell expands an unquoted wildcard into the paths it matches: explain it.
void check_expanded_glob(const std::vector<std::string>& channels);
void parse_tls(const RawFlags& raw, Options& o);
/// --proxy (an http:// URL with a host, else 64), else curl's variables: https_proxy or
/// HTTPS_PROXY for https and wss, only the lower-case http_proxy for http and ws, then
/// all_proxy/ALL_PROXY; no_proxy/NO_PROXY excludes hosts (lower case wins).
void choose_proxy(const RawFlags& raw, const GetEnv& env, Options& o);
/// --ext, --ext-plugin, --auth-command, --handshake-ext.
void parse_extensions(const RawFlags& raw, Options& o);
void parse_replay(const RawFlags& raw, Options& o);
OutputFormat parse_output(const std::string& value);
/// --max-inflight, --acks, --on-error.
void parse_stdin_publishing(const RawFlags& raw, Options& o);

}  // namespace cometd
