// Server URLs: http(s) for long-polling, ws(s) for WebSocket, same host, port, path and query.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

/// Parses an absolute http, https, ws or wss URL; nullopt with `error` set otherwise.
std::optional<Url> parse_url(std::string_view text, std::string& error);

}  // namespace cometd
