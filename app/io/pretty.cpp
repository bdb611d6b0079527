#include "io/pretty.hpp"

#include <cstdio>
#include <ctime>

namespace cometd {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t skip_space(std::string_view s, std::size_t i) {
  while (i < s.size() && is_space(s[i])) {
    ++i;
  }
  return i;
}

void paint(std::string& out, std::string_view colour, std::string_view text,
           const Palette& palette) {
  if (colour.empty()) {
    out += text;
    return;
  }
  out += colour;
  out += text;
  out += palette.reset;
}

void newline(std::string& out, int depth) {
  out.push_back('\n');
  out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

void append_u_escape(std::string& out, unsigned code_point) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", code_point);
  out += buf;
}

/// The string token at `s[i]` (the opening quote) as it is, with the characters that would
/// act on a terminal escaped; `end` is set past the closing quote.
std::string safe_string(std::string_view s, std::size_t i, std::size_t& end) {
  std::string out;
  out.push_back('"');
  ++i;
  while (i < s.size() && s[i] != '"') {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b == '\\' && i + 1 < s.size()) {
      out.append(s.substr(i, 2));
      i += 2;
    } else if (b < 0x20 || b == 0x7f) {
      append_u_escape(out, b);
      ++i;
    } else if (b == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9f) {
      append_u_escape(out, static_cast<unsigned char>(s[i + 1]));  // C1: 0x9b is CSI
      i += 2;
    } else if (b == 0xe2 && i + 2 < s.size()) {
      const unsigned cp = ((b & 0x0fu) << 12) |
                          ((static_cast<unsigned char>(s[i + 1]) & 0x3fu) << 6) |
                          (static_cast<unsigned char>(s[i + 2]) & 0x3fu);
      if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
        append_u_escape(out, cp);  // bidirectional overrides and isolates
      } else {
        out.append(s.substr(i, 3));
      }
      i += 3;
    } else {
      out.push_back(s[i++]);
    }
  }
  out.push_back('"');
  end = i + 1;
  return out;
}

}  // namespace

const Palette& jq_palette() {
  static const Palette palette{"\x1b[0;90m", "\x1b[0;39m", "\x1b[0;39m", "\x1b[0;32m",
                               "\x1b[1;39m", "\x1b[34;1m", "\x1b[0;90m", "\x1b[1m",
                               "\x1b[0;36m", "\x1b[0m"};
  return palette;
}

const Palette& plain_palette() {
  static const Palette palette{};
  return palette;
}

void append_pretty_json(std::string& out, std::string_view json, const Palette& palette) {
  int depth = 0;
  std::size_t i = skip_space(json, 0);
  while (i < json.size()) {
    const char c = json[i];
    if (c == '{' || c == '[') {
      const std::size_t next = skip_space(json, i + 1);
      const char close = c == '{' ? '}' : ']';
      if (next < json.size() && json[next] == close) {
        const char empty[] = {c, close, '\0'};
        paint(out, palette.bracket, empty, palette);
        i = next + 1;
      } else {
        paint(out, palette.bracket, std::string_view(&json[i], 1), palette);
        newline(out, ++depth);
        i = next;
      }
    } else if (c == '}' || c == ']') {
      newline(out, --depth);
      paint(out, palette.bracket, std::string_view(&json[i], 1), palette);
      i = skip_space(json, i + 1);
    } else if (c == ',') {
      paint(out, palette.bracket, ",", palette);
      newline(out, depth);
      i = skip_space(json, i + 1);
    } else if (c == ':') {
      paint(out, palette.bracket, ":", palette);
      out.push_back(' ');
      i = skip_space(json, i + 1);
    } else if (c == '"') {
      std::size_t end = i;
      const std::string token = safe_string(json, i, end);
      const std::size_t after = skip_space(json, end);
      const bool key = after < json.size() && json[after] == ':';
      paint(out, key ? palette.key : palette.string, token, palette);
      i = after;
    } else {
      std::size_t end = i;
      while (end < json.size() && !is_space(json[end]) && json[end] != ',' && json[end] != '}' &&
             json[end] != ']') {
        ++end;
      }
      const std::string_view token = json.substr(i, end - i);
      const std::string_view colour = token == "null"                      ? palette.null
                                      : token == "true" || token == "false" ? palette.boolean
                                                                            : palette.number;
      paint(out, colour, token, palette);
      i = skip_space(json, end);
    }
  }
  out.push_back('\n');
}

std::string local_time_millis(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  const auto millis = duration_cast<milliseconds>(when.time_since_epoch()).count();
  const auto seconds = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis % 1000));
  return buf;
}

void append_pretty_header(std::string& out, std::chrono::system_clock::time_point when,
                          std::string_view channel, std::string_view subscription,
                          const Palette& palette) {
  paint(out, palette.time, local_time_millis(when), palette);
  out.push_back(' ');
  std::size_t end = 0;
  // A channel is a JSON string's content as received: printed the way strings are, safe.
  std::string quoted = "\"";
  quoted += channel;
  quoted += '"';
  std::string safe = safe_string(quoted, 0, end);
  paint(out, palette.channel, std::string_view(safe).substr(1, safe.size() - 2), palette);
  if (!subscription.empty() && subscription != channel) {
    out += " via ";
    paint(out, palette.subscription, subscription, palette);
  }
  out.push_back('\n');
}

}  // namespace cometd
