#include "url.hpp"

#include <algorithm>
#include <cctype>

namespace cometd {

std::string Url::origin() const {
  std::string out = scheme + "://";
  if (host.find(':') != std::string::npos) {
    out += "[" + host + "]";
  } else {
    out += host;
  }
  out += ":" + std::to_string(port);
  return out;
}

std::string Url::str() const { return origin() + target; }

Url Url::with_scheme_family(bool websocket) const {
  Url out = *this;
  if (websocket) {
    out.scheme = tls() ? "wss" : "ws";
  } else {
    out.scheme = tls() ? "https" : "http";
  }
  return out;
}

std::optional<Url> parse_url(std::string_view text, std::string& error) {
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    error = "not an absolute URL (expected http://host[:port]/path)";
    return std::nullopt;
  }
  Url url;
  url.scheme.assign(text.substr(0, scheme_end));
  std::transform(url.scheme.begin(), url.scheme.end(), url.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  int default_port = 0;
  if (url.scheme == "http" || url.scheme == "ws") {
    default_port = 80;
  } else if (url.scheme == "https" || url.scheme == "wss") {
    default_port = 443;
  } else {
    error = "unsupported scheme \"" + url.scheme + "\" (use http, https, ws or wss)";
    return std::nullopt;
  }
  std::string_view rest = text.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view target =
      authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (const auto hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    url.userinfo.assign(authority.substr(0, at));
    authority = authority.substr(at + 1);
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "unterminated IPv6 address in URL";
      return std::nullopt;
    }
    url.host.assign(authority.substr(1, close - 1));
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        error = "unexpected text after the IPv6 address in URL";
        return std::nullopt;
      }
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    url.host.assign(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
    }
  }
  if (url.host.empty()) {
    error = "no host in URL";
    return std::nullopt;
  }
  url.port = default_port;
  if (!port_text.empty()) {
    int port = 0;
    for (const char c : port_text) {
      if (!std::isdigit(static_cast<unsigned char>(c)) || port > 65535) {
        error = "invalid port in URL";
        return std::nullopt;
      }
      port = port * 10 + (c - '0');
    }
    if (port <= 0 || port > 65535) {
      error = "invalid port in URL";
      return std::nullopt;
    }
    url.port = port;
  }
  url.target = target.empty() ? "/" : std::string(target);
  if (url.target.front() == '?') {
    url.target.insert(url.target.begin(), '/');
  }
  return url;
}

}  // namespace cometd
