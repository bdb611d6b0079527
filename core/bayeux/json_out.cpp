#include "bayeux/json_out.hpp"

#include <simdjson.h>

#include <cstring>

namespace cometd {

namespace {

bool is_json_whitespace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char k_hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the pending run of bytes that need no escape
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') {
      continue;
    }
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        // codepoints between 0 and 0x1f without a short form
        out += "\\u00";
        out.push_back(k_hex[c >> 4]);
        out.push_back(k_hex[c & 0xf]);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out.push_back('"');
}

bool has_json_whitespace(std::string_view raw) {
  // memchr per byte class is several times faster than one loop over four comparisons.
  return std::memchr(raw.data(), ' ', raw.size()) != nullptr ||
         std::memchr(raw.data(), '\n', raw.size()) != nullptr ||
         std::memchr(raw.data(), '\r', raw.size()) != nullptr ||
         std::memchr(raw.data(), '\t', raw.size()) != nullptr;
}

std::string_view trim_json_whitespace(std::string_view raw) {
  while (!raw.empty() && is_json_whitespace(raw.front())) {
    raw.remove_prefix(1);
  }
  while (!raw.empty() && is_json_whitespace(raw.back())) {
    raw.remove_suffix(1);
  }
  return raw;
}

void append_minified(std::string& out, std::string_view raw) {
  if (!has_json_whitespace(raw)) {
    out.append(raw);
    return;
  }
  const std::size_t at = out.size();
  out.resize(at + raw.size());
  std::size_t written = 0;
  if (simdjson::minify(raw.data(), raw.size(), out.data() + at, written) != simdjson::SUCCESS) {
    // Only on input simdjson could not even tokenise; callers pass validated JSON, so keep it.
    std::memcpy(out.data() + at, raw.data(), raw.size());
    written = raw.size();
  }
  out.resize(at + written);
}

}  // namespace cometd
