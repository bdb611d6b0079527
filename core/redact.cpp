#include "redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace cometd {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool secret_name(std::string_view name) {
  static constexpr std::array<std::string_view, 9> k_words = {
      "auth",   "cookie",     "token",     "password", "passwd",
      "secret", "credential", "sessionid", "api-key"};
  const std::string l = lower(name);
  for (auto word : k_words) {
    if (l.find(word) != std::string::npos) {
      return true;
    }
  }
  return l == "apikey" || l == "sid";
}

}  // namespace

bool is_secret_header(std::string_view name) { return secret_name(name); }

std::string redact_header_value(std::string_view name, std::string_view value) {
  return is_secret_header(name) ? std::string("[redacted]") : std::string(value);
}

std::string redact_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return std::string(url);
  }
  const auto authority_start = scheme_end + 3;
  const auto authority_end = url.find_first_of("/?#", authority_start);
  const auto authority = url.substr(authority_start, authority_end == std::string_view::npos
                                                         ? std::string_view::npos
                                                         : authority_end - authority_start);
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) {
    return std::string(url);
  }
  std::string out(url.substr(0, authority_start));
  out += "[redacted]@";
  out += url.substr(authority_start + at + 1);
  return out;
}

std::string redact_json(std::string_view json) {
  // A small scanner with a stack of containers: a string value is redacted when its key looks
  // secret or when it sits anywhere inside the value of such a key. Invalid JSON is handled
  // too (it is only ever logged).
  struct Frame {
    bool object;
    bool secret;
  };
  std::vector<Frame> stack;
  std::string out;
  out.reserve(json.size());
  std::string_view last_key;
  bool expect_key = false;
  auto value_is_secret = [&] {
    if (stack.empty()) {
      return false;
    }
    return stack.back().secret || (stack.back().object && secret_name(last_key));
  };
  std::size_t i = 0;
  while (i < json.size()) {
    const char c = json[i];
    if (c == '{' || c == '[') {
      const bool secret = value_is_secret();
      stack.push_back({c == '{', secret});
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
    } else if (c == '"') {
      std::size_t end = i + 1;
      while (end < json.size() && json[end] != '"') {
        end += json[end] == '\\' ? 2 : 1;
      }
      end = std::min(end, json.size() - 1);
      const std::string_view literal = json.substr(i, end - i + 1);
      if (expect_key) {
        last_key = literal.size() >= 2 ? literal.substr(1, literal.size() - 2) : literal;
        out += literal;
      } else {
        out += value_is_secret() ? std::string_view("\"[redacted]\"") : literal;
      }
      i = end + 1;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace cometd
