// Server URLs: http(s) for long-polling, ws(s) for WebSocket, same host, port, path and query.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace cometd {

struct Url {
  std::string scheme;  ///< http, https, ws or wss (lower case)
  std::string host;    ///< IPv6 literals without brackets
  int port = 0;        ///< explicit, or the scheme's default
  std::string target;  ///< path and query, at least "/"
  std::string userinfo;  ///< "user:password" as written (percent-encoded), or empty

  bool tls() const { return scheme == "https" || scheme == "wss"; }
  /// scheme://host:port, brackets around IPv6 literals.
  std::string origin() const;
  /// origin() + target (never the userinfo).
  std::string str() const;
  /// The same URL for the other transport family: http↔ws, https↔wss.
  Url with_scheme_family(bool websocket) const;
};

/// Decodes %XX escapes (userinfo, proxy credentials).
std::string percent_decode(std::string_view text);

/// "user:password" (percent-encoded) → the decoded user and password.
std::pair<std::string, std::string> split_userinfo(std::string_view userinfo);

/// Whether `host` is excluded from proxying by a NO_PROXY list (curl's rules: comma-separated
/// names, each matching itself and its subdomains, a leading dot ignored, "*" matching all).
bool no_proxy_matches(std::string_view no_proxy, std::string_view host);

/// Parses an absolute http, https, ws or wss URL; nullopt with `error` set otherwise.
std::optional<Url> parse_url(std::string_view text, std::string& error);

}  // namespace cometd
