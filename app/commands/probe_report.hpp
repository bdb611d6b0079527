// What `probe` found, and its four renderings: json (the INTERFACE.md report), text (aligned,
// for people), nagios (one status line with performance data) and prometheus (the text
// exposition format).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/options.hpp"

namespace cometd {

/// One transport's try.
struct ProbeTransport {
  std::string type;
  bool ok = false;  ///< handshake and first /meta/connect succeeded
  std::optional<double> handshake_ms;
  std::optional<double> connect_ms;
  std::optional<double> roundtrip_ms;  ///< publish to self until the delivery came back
  std::string error;                   ///< why not ok (already redacted, not escaped)
  std::string roundtrip_error;         ///< why no delivery came back, when ok
};

struct ProbeResult {
  std::string url;
  std::string handshake;  ///< the server's handshake reply (redacted JSON), or empty
  std::vector<ProbeTransport> transports;
  std::set<std::string> cookies;  ///< names only
  bool ok() const;
  /// Whether the server's handshake reply lists `type` in supportedConnectionTypes.
  bool offered(const std::string& type) const;
};

/// The JSON report of INTERFACE.md, plus roundtrip_ms or roundtrip_error per transport.
std::string probe_json(const ProbeResult& result);
/// An aligned report for a terminal.
std::string probe_text(const ProbeResult& result);

/// Nagios plugin output and its exit status.
struct NagiosReport {
  std::string text;
  int code = 0;  ///< 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN
};
/// CRITICAL when no transport works or messages flow on none, or the slowest step is over
/// `crit`; WARNING when a transport the server offers fails or does not deliver, or the slowest
/// step is over `warn`; UNKNOWN when every handshake was refused for authentication (the
/// check's credentials, not the server, are at fault).
NagiosReport probe_nagios(const ProbeResult& result, std::optional<Millis> warn,
                          std::optional<Millis> crit, bool auth_refused);

/// The Prometheus text exposition format (version 0.0.4).
std::string probe_prometheus(const ProbeResult& result);

}  // namespace cometd
