#include "bayeux/errors.hpp"

#include <cctype>

namespace cometd {

BayeuxError parse_bayeux_error(std::string_view error) {
  BayeuxError out;
  const auto first = error.find(':');
  if (first == std::string_view::npos) {
    out.text = error;
    return out;
  }
  const std::string_view code = error.substr(0, first);
  int value = 0;
  bool numeric = !code.empty() && code.size() <= 4;
  for (const char c : code) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      numeric = false;
      break;
    }
    value = value * 10 + (c - '0');
  }
  if (!numeric) {
    out.text = error;
    return out;
  }
  out.code = value;
  const std::string_view rest = error.substr(first + 1);
  const auto second = rest.find(':');
  if (second == std::string_view::npos) {
    out.text = rest;
  } else {
    out.args = rest.substr(0, second);
    out.text = rest.substr(second + 1);
  }
  return out;
}

namespace {

bool contains_icase(std::string_view haystack, std::string_view needle) {
  if (needle.size() > haystack.size()) {
    return false;
  }
  for (std::size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    bool match = true;
    for (std::size_t j = 0; j < needle.size(); ++j) {
      if (std::tolower(static_cast<unsigned char>(haystack[i + j])) !=
          std::tolower(static_cast<unsigned char>(needle[j]))) {
        match = false;
        break;
      }
    }
    if (match) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool is_unknown_session_error(std::string_view error) {
  return contains_icase(error, "session_unknown") || contains_icase(error, "unknown_session") ||
         contains_icase(error, "unknown client");
}

bool is_auth_error(std::string_view error) {
  const int code = parse_bayeux_error(error).code;
  return code == 401 || code == 403;
}

bool is_limit_exceeded(std::string_view error) {
  return error.find("limit exceeded") != std::string_view::npos;
}

}  // namespace cometd
