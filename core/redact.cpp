#include "redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace cometd {

namespace {

constexpr std::string_view k_redacted = "[redacted]";
constexpr std::string_view k_redacted_json = "\"[redacted]\"";

/// Lower case, without the separators that vary between spellings of one name
/// (X-Api-Key, x_api_key, xApiKey, api.key).
std::string normalised(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    if (c != '-' && c != '_' && c != '.') {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

/// "auth" names a secret (authorization, x-auth-token, oauth), except inside "author" or
/// "authority", which name people and hosts; "authoriz"/"authoris" is a secret again.
bool holds_auth(const std::string& name) {
  for (auto at = name.find("auth"); at != std::string::npos; at = name.find("auth", at + 1)) {
    if (name.compare(at, 6, "author") != 0) {
      return true;
    }
    const std::string_view after = std::string_view(name).substr(std::min(at + 6, name.size()), 2);
    if (after == "iz" || after == "is") {
      return true;
    }
  }
  return false;
}

bool is_json_delimiter(char c) {
  return c == ',' || c == ':' || c == '{' || c == '}' || c == '[' || c == ']' || c == '"' ||
         c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// The index just past the JSON string literal that starts at `at` (or the end of the text).
std::size_t string_end(std::string_view text, std::size_t at) {
  std::size_t i = at + 1;
  while (i < text.size() && text[i] != '"') {
    i += text[i] == '\\' ? 2 : 1;
  }
  return std::min(i + 1, text.size());
}

bool ends_parameter_name(char c) {
  return c == '=' || c == '&' || c == ';' || c == '#' || c == '?' || c == '"' || c == '\'' ||
         c == '<' || c == '>' || c == '/' || std::isspace(static_cast<unsigned char>(c)) != 0;
}

bool ends_parameter_value(char c) {
  return c == '&' || c == ';' || c == '#' || c == '?' || c == '"' || c == '\'' || c == '<' ||
         c == '>' || std::isspace(static_cast<unsigned char>(c)) != 0;
}

/// Appends `text` with the value of each secret `name=value` that follows ?, &, ; or #.
void append_with_parameters_redacted(std::string& out, std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i++];
    out.push_back(c);
    if (c != '?' && c != '&' && c != ';' && c != '#') {
      continue;
    }
    std::size_t eq = i;
    while (eq < text.size() && !ends_parameter_name(text[eq])) {
      ++eq;
    }
    if (eq == i || eq == text.size() || text[eq] != '=' ||
        !is_secret_name(text.substr(i, eq - i))) {
      continue;
    }
    out.append(text.substr(i, eq + 1 - i));
    std::size_t end = eq + 1;
    while (end < text.size() && !ends_parameter_value(text[end])) {
      ++end;
    }
    if (end > eq + 1) {
      out += k_redacted;
    }
    i = end;
  }
}

bool is_token_char(char c) {
  // RFC 7230 tchar: what a header name is made of.
  return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

namespace {

bool judge_name(std::string_view name) {
  static constexpr std::array<std::string_view, 10> k_words = {
      "token",     "key", "secret", "password", "passwd",
      "signature", "jwt", "cookie", "session",  "credential"};
  const std::string n = normalised(name);
  if (n == "sid" || n == "sig") {
    return true;
  }
  for (const auto word : k_words) {
    if (n.find(word) != std::string::npos) {
      return true;
    }
  }
  return holds_auth(n);
}

}  // namespace

bool is_secret_name(std::string_view name) {
  if (name.size() < 3 || name.front() == '/') {
    return false;  // shorter than every word of the rule (id, n), or a channel name
  }
  // The same few keys come back in every message (channel, data, clientId…): the verdicts on
  // recent names are remembered, per thread, in a small direct-mapped table.
  struct Entry {
    std::string name;
    bool secret = false;
  };
  constexpr std::size_t k_slots = 64;
  constexpr std::size_t k_longest = 64;
  thread_local std::array<Entry, k_slots> recent;
  if (name.size() > k_longest) {
    return judge_name(name);
  }
  Entry& entry = recent[std::hash<std::string_view>{}(name) % k_slots];
  if (entry.name != name) {
    entry.name.assign(name);
    entry.secret = judge_name(name);
  }
  return entry.secret;
}

bool is_secret_header(std::string_view name) {
  // WWW-Authenticate and Proxy-Authenticate carry the server's challenge (scheme, realm,
  // error="invalid_token"), never the client's credentials, and say why a request failed.
  const std::string n = normalised(name);
  constexpr std::string_view k_challenge = "authenticate";
  if (n.size() >= k_challenge.size() &&
      n.compare(n.size() - k_challenge.size(), k_challenge.size(), k_challenge) == 0) {
    return false;
  }
  return is_secret_name(name);
}

namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

/// A cookie's "name=value" as "name=[redacted]" (a bare value, as "[redacted]").
void append_cookie_redacted(std::string& out, std::string_view pair) {
  pair = trimmed(pair);
  const auto eq = pair.find('=');
  if (eq != std::string_view::npos) {
    out += trimmed(pair.substr(0, eq));
    out += '=';
  }
  out += k_redacted;
}

/// The attributes of RFC 6265 (and their common extensions): they say where and how long a
/// cookie applies, never what it holds.
bool is_cookie_attribute(std::string_view name) {
  const std::string n = normalised(name);
  for (const std::string_view known :
       {"path", "domain", "samesite", "secure", "httponly", "expires", "maxage", "partitioned",
        "priority"}) {
    if (n == known) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string redact_cookie_header(std::string_view name, std::string_view value) {
  const std::string n = normalised(name);
  std::string out;
  bool first = true;
  while (true) {
    const auto semicolon = value.find(';');
    const std::string_view part = trimmed(value.substr(0, semicolon));
    if (!part.empty()) {
      out += first ? "" : "; ";
      if (first || n == "cookie") {
        append_cookie_redacted(out, part);
      } else {
        const auto eq = part.find('=');
        const std::string_view attribute = trimmed(part.substr(0, eq));
        if (is_cookie_attribute(attribute) || eq == std::string_view::npos) {
          out += part;
        } else {
          append_cookie_redacted(out, part);
        }
      }
      first = false;
    }
    if (semicolon == std::string_view::npos) {
      break;
    }
    value.remove_prefix(semicolon + 1);
  }
  return out;
}

std::string redact_header_value(std::string_view name, std::string_view value) {
  const std::string n = normalised(name);
  if (n == "cookie" || n == "setcookie") {
    return redact_cookie_header(name, value);
  }
  return is_secret_header(name) ? std::string(k_redacted) : std::string(value);
}

std::string redact_url(std::string_view url) {
  std::string out;
  out.reserve(url.size());
  const auto scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    const auto authority_start = scheme_end + 3;
    const auto authority_end = std::min(url.find_first_of("/?#;", authority_start), url.size());
    const auto authority = url.substr(authority_start, authority_end - authority_start);
    const auto at = authority.rfind('@');
    out += url.substr(0, authority_start);
    if (at != std::string_view::npos) {
      out += k_redacted;
      out += '@';
    }
    out += authority.substr(at == std::string_view::npos ? 0 : at + 1);
    url.remove_prefix(authority_end);
  }
  append_with_parameters_redacted(out, url);
  return out;
}

std::string redact_json(std::string_view json) {
  std::string out;
  append_redacted_json(out, json);
  return out;
}

void append_redacted_json(std::string& out, std::string_view json) {
  // A scanner with a stack of containers: a value is redacted when its key is a secret or when
  // it sits anywhere inside the value of such a key. Text that is not JSON passes through.
  struct Frame {
    bool object;
    bool secret;
  };
  thread_local std::vector<Frame> stack;
  stack.clear();
  out.reserve(out.size() + json.size());
  std::string_view last_key;
  bool expect_key = false;
  auto value_is_secret = [&] {
    return !expect_key && !stack.empty() &&
           (stack.back().secret || (stack.back().object && is_secret_name(last_key)));
  };
  std::size_t i = 0;
  while (i < json.size()) {
    const char c = json[i];
    if (c == '"') {
      const std::size_t end = string_end(json, i);
      const std::string_view literal = json.substr(i, end - i);
      if (expect_key) {
        last_key = literal.substr(1, literal.size() >= 2 ? literal.size() - 2 : 0);
        out += literal;
      } else {
        out += value_is_secret() ? k_redacted_json : literal;
      }
      i = end;
      continue;
    }
    if (c == '{' || c == '[') {
      stack.push_back({c == '{', value_is_secret()});
      expect_key = c == '{';
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) {
        stack.pop_back();
      }
      expect_key = false;
    } else if (c == ',') {
      expect_key = !stack.empty() && stack.back().object;
    } else if (c == ':') {
      expect_key = false;
    } else if (!is_json_delimiter(c) && value_is_secret()) {
      // A number (or any other bare token) under a secret key.
      std::size_t end = i;
      while (end < json.size() && !is_json_delimiter(json[end])) {
        ++end;
      }
      const std::string_view token = json.substr(i, end - i);
      out += token == "true" || token == "false" || token == "null" ? token : k_redacted_json;
      i = end;
      continue;
    }
    out.push_back(c);
    ++i;
  }
}

std::string redact_text(std::string_view text) {
  const std::string json_redacted = redact_json(text);
  std::string out;
  out.reserve(json_redacted.size());
  append_with_parameters_redacted(out, json_redacted);
  return out;
}

std::string redact_header_argument(std::string_view text) {
  constexpr std::size_t k_longest_name = 64;
  std::size_t end = 0;
  while (end < text.size() && is_token_char(text[end])) {
    ++end;
  }
  // Without a separator after it, the "name" may be the whole secret (-H "$TOKEN").
  if (end == 0 || end == text.size() || end > k_longest_name) {
    return "…";
  }
  return std::string(text.substr(0, end)) + " …";
}

}  // namespace cometd
