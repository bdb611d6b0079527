#include "url.hpp"

#include "bayeux/hex.hpp"

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

std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int high = i + 2 < text.size() ? hex_digit_value(text[i + 1]) : -1;
    const int low = high >= 0 ? hex_digit_value(text[i + 2]) : -1;
    if (text[i] == '%' && low >= 0) {
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::pair<std::string, std::string> split_userinfo(std::string_view userinfo) {
  const auto colon = userinfo.find(':');
  if (colon == std::string_view::npos) {
    return {percent_decode(userinfo), {}};
  }
  return {percent_decode(userinfo.substr(0, colon)), percent_decode(userinfo.substr(colon + 1))};
}

bool no_proxy_matches(std::string_view no_proxy, std::string_view host) {
  auto lower = [](std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
  };
  const std::string h = lower(host);
  while (!no_proxy.empty()) {
    const auto comma = no_proxy.find(',');
    std::string_view entry = no_proxy.substr(0, comma);
    no_proxy = comma == std::string_view::npos ? std::string_view{} : no_proxy.substr(comma + 1);
    while (!entry.empty() && (entry.front() == ' ' || entry.front() == '\t')) {
      entry.remove_prefix(1);
    }
    while (!entry.empty() && (entry.back() == ' ' || entry.back() == '\t')) {
      entry.remove_suffix(1);
    }
    if (entry == "*") {
      return true;
    }
    if (!entry.empty() && entry.front() == '.') {
      entry.remove_prefix(1);
    }
    if (entry.size() > 2 && entry.front() == '[' && entry.back() == ']') {
      entry = entry.substr(1, entry.size() - 2);
    }
    if (entry.empty()) {
      continue;
    }
    const std::string e = lower(entry);
    if (h == e || (h.size() > e.size() && h.compare(h.size() - e.size(), e.size(), e) == 0 &&
                   h[h.size() - e.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

namespace {

bool is_control_or_space(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u <= 0x20 || u == 0x7f;
}

/// A registered name (letters, digits, - . _ ~) or an IPv4 address.
bool is_host_name(std::string_view host) {
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_' ||
           c == '~';
  });
}

/// The inside of [...]: hex digits, colons and the dots of an embedded IPv4 address.
bool is_ipv6_literal(std::string_view host) {
  return host.find(':') != std::string_view::npos &&
         std::all_of(host.begin(), host.end(), [](char c) {
           return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.';
         });
}

/// The path and query as sent on the request line: bytes a URI cannot hold as they are
/// (non-ASCII, " < > \ ^ ` { | }) percent-encoded; '%' kept as the user's own escapes.
std::string encode_target(std::string_view target) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(target.size());
  for (const char c : target) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' ||
        c == '{' || c == '|' || c == '}') {
      out += '%';
      out += k_hex[u >> 4];
      out += k_hex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::optional<Url> parse_url(std::string_view text, std::string& error) {
  // Nothing that could end the request line or start a header may reach the wire: spaces,
  // CR, LF and every other control byte are refused wherever they are.
  if (const auto bad = std::find_if(text.begin(), text.end(), is_control_or_space);
      bad != text.end()) {
    const auto u = static_cast<unsigned char>(*bad);
    static constexpr char k_hex[] = "0123456789abcdef";
    error = std::string("the URL holds ") +
            (u == 0x20 ? std::string("a space")
                       : std::string("the control byte \\x") + k_hex[u >> 4] + k_hex[u & 15]) +
            " (percent-encode it)";
    return std::nullopt;
  }
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
  const bool bracketed = !authority.empty() && authority.front() == '[';
  if (bracketed ? !is_ipv6_literal(url.host) : !is_host_name(url.host)) {
    error = bracketed ? "invalid IPv6 address in URL" : "invalid character in the URL's host";
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
  url.target = target.empty() ? "/" : encode_target(target);
  if (url.target.front() == '?') {
    url.target.insert(url.target.begin(), '/');
  }
  return url;
}

}  // namespace cometd
