// The one rule for HTTP header fields that enter from outside (-H, --bearer, --auth-command,
// plugins, and the replies we parse): RFC 7230 §3.2. A name is a token; a value holds no CR,
// LF or NUL (other control bytes are refused too: no server needs them, terminals do not
// want them). Whatever breaks the rule is refused before it reaches the wire.
#pragma once

#include <string>
#include <string_view>

namespace cometd {

/// tchar of RFC 7230: ALPHA, DIGIT and !#$%&'*+-.^_`|~
inline bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  if ((u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')) {
    return true;
  }
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+':
    case '-': case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

/// A non-empty RFC 7230 token.
inline bool is_header_name(std::string_view name) {
  if (name.empty() || name.size() > 256) {
    return false;
  }
  for (const char c : name) {
    if (!is_token_char(c)) {
      return false;
    }
  }
  return true;
}

/// field-value: visible characters, spaces, tabs and obs-text; no CR, LF, NUL or other
/// control byte.
inline bool is_header_value(std::string_view value) {
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) {
      return false;
    }
  }
  return true;
}

/// A header name as an error message may show it: control bytes as \xNN, at most 64 bytes.
inline std::string header_name_for_message(std::string_view text) {
  std::string out;
  for (const char c : text.substr(0, 64)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) {
      static constexpr char k_hex[] = "0123456789abcdef";
      out += "\\x";
      out += k_hex[u >> 4];
      out += k_hex[u & 15];
    } else {
      out += c;
    }
  }
  return out + (text.size() > 64 ? "..." : "");
}

/// Empty when the field is acceptable, else why not, naming the header (never its value,
/// which may be a secret). `source` says where it came from ("-H", "--auth-command", "plugin
/// NAME").
inline std::string header_field_error(std::string_view source, std::string_view name,
                                      std::string_view value) {
  if (!is_header_name(name)) {
    return std::string(source) + ": '" + header_name_for_message(name) +
           "' is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)";
  }
  if (!is_header_value(value)) {
    return std::string(source) + ": the value of header " + std::string(name) +
           " holds a line break or another control character";
  }
  return {};
}

}  // namespace cometd
