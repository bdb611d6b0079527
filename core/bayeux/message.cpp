#include "bayeux/message.hpp"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "bayeux/hex.hpp"
#include "bayeux/json_check.hpp"
#include "bayeux/json_out.hpp"
#include "bayeux/json_scan.hpp"

namespace cometd {

namespace od = simdjson::ondemand;
using json_scan::append_utf8;
using json_scan::first_string_special;
using json_scan::is_ws;
using json_scan::k_block;

BatchParser::BatchParser() = default;
BatchParser::~BatchParser() = default;

namespace {

constexpr int k_max_depth = 1024;  // as simdjson


std::optional<std::int64_t> millis_of(std::string_view token) {
  // Servers send integers; accept a JSON double too (some send 2000.0), truncating it.
  double number = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), number);
  if (ec == std::errc::result_out_of_range) {
    // Too large or too close to zero (1e-400): from_chars does not say which, strtod does
    // (±HUGE_VAL, or a value that truncates to 0). No locale is set: '.' is the point.
    number = std::strtod(std::string(token).c_str(), nullptr);
  } else if (ec != std::errc() || end != token.data() + token.size()) {
    return std::nullopt;
  }
  number = std::clamp(number, -9.0e15, 9.0e15);
  return static_cast<std::int64_t>(number);
}

}  // namespace

/// One pass over a reply: validates the whole text as RFC 8259 JSON (UTF-8 is checked up front
/// by simdjson) while it records the spans of each message's Bayeux fields. No tree is built
/// and nothing is copied except strings with escapes in the fields the session reads.
class BatchParser::Scanner {
 public:
  Scanner(BatchParser& parser, std::string_view text)
      : parser_(parser), text_size_(text.size()), p_(text.data()), end_(p_ + text.size()) {}

  /// False: not valid JSON (why()), or `on_message` stopped the scan (stopped()). Otherwise
  /// `shape` is empty, or says why the valid JSON is not a batch of messages. Each message is
  /// handed over once parsed and valid: a fault later in the text does not take it back.
  bool run(const OnMessage& on_message, std::string_view& shape) {
    skip_ws();
    if (p_ < end_ && *p_ == '[') {
      const bool ok = elements(0, [&] {
        if (p_ < end_ && *p_ == '{' && shape.empty()) {
          MessageView m;
          if (!message(m)) {
            return false;
          }
          stopped_ = !on_message(m);
          return !stopped_;
        }
        if (shape.empty()) {
          shape = "an element of the array is not a message object";
        }
        return value(1);
      });
      if (!ok) {
        return false;
      }
    } else {
      shape = "not a JSON array of messages";
      if (!value(0)) {
        return false;
      }
    }
    skip_ws();
    if (p_ != end_) {
      return fail("content after the JSON value");
    }
    return true;
  }

  std::string_view why() const { return why_; }
  bool stopped() const { return stopped_; }

 private:
  bool fail(const char* why) {
    if (why_.empty()) {
      why_ = why;
    }
    return false;
  }

  void skip_ws() {
    const char* start = p_;
    while (p_ < end_ && is_ws(*p_)) {
      ++p_;
    }
    spaced_ |= p_ != start;
  }

  /// At a '"': scans the string to its closing quote. `text` is its content as written;
  /// `escaped` says whether it holds backslashes.
  bool string(std::string_view& text, bool& escaped) {
    const char* start = ++p_;
    escaped = false;
    while (true) {
      while (end_ - p_ >= k_block) {
        const unsigned at = first_string_special(p_);
        p_ += at;
        if (at < k_block) {
          break;
        }
      }
      if (p_ >= end_) {
        return fail("unterminated string");
      }
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        text = std::string_view(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return true;
      }
      if (c < 0x20) {
        return fail("unescaped control character in a string");
      }
      ++p_;
      if (c == '\\') {
        escaped = true;
        if (p_ >= end_) {
          return fail("unterminated string");
        }
        const char e = *p_++;
        if (e == 'u') {
          for (int k = 0; k < 4; ++k) {
            if (p_ >= end_ || hex_digit_value(*p_) < 0) {
              return fail("invalid \\u escape");
            }
            ++p_;
          }
        } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' &&
                   e != 'r' && e != 't') {
          return fail("invalid escape in a string");
        }
      }
    }
  }

  /// The content of a validated string: `text` itself, or its unescaped copy.
  std::string_view unescape(std::string_view text, bool escaped) {
    if (!escaped) {
      return text;
    }
    if (out_ == nullptr) {
      // Unescaped strings are never longer than their text: one buffer of the text's size
      // holds them all, and the views into it stay put.
      out_ = parser_.unescape_buffer(text_size_);
    }
    char* const start = out_;
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\\') {
        *out_++ = text[i];
        continue;
      }
      const char e = text[++i];
      switch (e) {
        case 'b': *out_++ = '\b'; break;
        case 'f': *out_++ = '\f'; break;
        case 'n': *out_++ = '\n'; break;
        case 'r': *out_++ = '\r'; break;
        case 't': *out_++ = '\t'; break;
        case 'u': {
          std::uint32_t cp = hex4(text.substr(i + 1));
          i += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < text.size() && text[i + 1] == '\\' &&
              text[i + 2] == 'u') {
            const std::uint32_t low = hex4(text.substr(i + 3));
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
              i += 6;
            }
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;  // a lone surrogate
          }
          append_utf8(out_, cp);
          break;
        }
        default: *out_++ = e;  // " \ /
      }
    }
    return std::string_view(start, static_cast<std::size_t>(out_ - start));
  }

  static std::uint32_t hex4(std::string_view s) {
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      v = (v << 4) | static_cast<std::uint32_t>(hex_digit_value(s[static_cast<std::size_t>(k)]));
    }
    return v;
  }

  bool digits() {
    const char* start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      ++p_;
    }
    return p_ != start;
  }

  bool number() {
    if (p_ < end_ && *p_ == '-') {
      ++p_;
    }
    if (p_ < end_ && *p_ == '0') {
      ++p_;
    } else if (!digits()) {
      return fail("invalid value");
    }
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (!digits()) {
        return fail("invalid number");
      }
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) {
        ++p_;
      }
      if (!digits()) {
        return fail("invalid number");
      }
    }
    return true;
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return fail("invalid value");
    }
    p_ += word.size();
    return true;
  }

  /// Validates any value; `p_` is at its first byte (whitespace skipped).
  bool value(int depth) {
    if (p_ >= end_) {
      return fail("unexpected end of the text");
    }
    std::string_view text;
    bool escaped = false;
    switch (*p_) {
      case '{':
        return members(depth, [this, depth](std::string_view) { return value(depth + 1); });
      case '[':
        return elements(depth, [this, depth] { return value(depth + 1); });
      case '"':
        return string(text, escaped);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  /// Validates a value and returns its exact text.
  bool raw(int depth, std::string_view& out) {
    const char* start = p_;
    if (!value(depth)) {
      return false;
    }
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    return true;
  }

  /// A string value's content, unescaped; false (nothing consumed) when it is not a string.
  bool string_value(std::string_view& out, bool& ok) {
    if (p_ >= end_ || *p_ != '"') {
      return false;
    }
    std::string_view text;
    bool escaped = false;
    ok = string(text, escaped);
    if (ok) {
      out = unescape(text, escaped);
    }
    return true;
  }

  /// Iterates the comma-separated items of the array or object at `p_` (its opening bracket)
  /// up to `close`: `item()` is called with `p_` at each one and must consume it.
  template <typename Item>
  bool items(int depth, char close, Item&& item) {
    if (depth >= k_max_depth) {
      return fail("JSON nested too deeply");
    }
    ++p_;
    skip_ws();
    if (p_ < end_ && *p_ == close) {
      ++p_;
      return true;
    }
    while (true) {
      if (!item()) {
        return false;
      }
      skip_ws();
      if (p_ < end_ && *p_ == ',') {
        ++p_;
        skip_ws();
        continue;
      }
      if (p_ < end_ && *p_ == close) {
        ++p_;
        return true;
      }
      return fail(close == ']' ? "expected ',' or ']' in an array"
                               : "expected ',' or '}' in an object");
    }
  }

  /// Iterates the elements of the array at `p_` ('['): `element()` is called with `p_` at
  /// each one and must consume it.
  template <typename Element>
  bool elements(int depth, Element&& element) {
    return items(depth, ']', element);
  }

  /// Iterates the members of the object at `p_` ('{'): `member(key)` is called with `p_` at
  /// the value and must consume it.
  template <typename Member>
  bool members(int depth, Member&& member) {
    return items(depth, '}', [this, &member] {
      if (p_ >= end_ || *p_ != '"') {
        return fail("expected a key");
      }
      std::string_view key;
      bool escaped = false;
      if (!string(key, escaped)) {
        return false;
      }
      char key_buffer[32];
      if (escaped) {
        // Keys the session reads are short: an escaped long key is none of them.
        if (key.size() < sizeof key_buffer) {
          char* saved = out_;
          out_ = key_buffer;
          key = unescape(key, true);
          out_ = saved;
        } else {
          key = {};
        }
      }
      skip_ws();
      if (p_ >= end_ || *p_ != ':') {
        return fail("expected ':'");
      }
      ++p_;
      skip_ws();
      return member(key);
    });
  }

  bool millis(int depth, std::optional<std::int64_t>& out) {
    const char* start = p_;
    if (!value(depth)) {
      return false;
    }
    const std::string_view token(start, static_cast<std::size_t>(p_ - start));
    if (token.front() == '-' || (token.front() >= '0' && token.front() <= '9')) {
      out = millis_of(token);
    } else {
      out.reset();
    }
    return true;
  }

  bool advice(int depth, AdviceFields& out, AdviceFields* long_polling, AdviceFields* websocket) {
    out.present = true;
    return members(depth, [&](std::string_view key) {
      if (key == "reconnect") {
        std::string_view text;
        bool ok = true;
        if (!string_value(text, ok)) {
          return value(depth + 1);
        }
        if (text == "retry") {
          out.reconnect = Reconnect::retry;
        } else if (text == "handshake") {
          out.reconnect = Reconnect::handshake;
        } else if (text == "none") {
          out.reconnect = Reconnect::none;
        }
        return ok;
      }
      if (key == "interval") {
        return millis(depth + 1, out.interval_ms);
      }
      if (key == "timeout") {
        return millis(depth + 1, out.timeout_ms);
      }
      if (key == "maxInterval") {
        return millis(depth + 1, out.max_interval_ms);
      }
      if (key == "multiple-clients") {
        out.multiple_clients = end_ - p_ >= 4 && std::memcmp(p_, "true", 4) == 0;
        return value(depth + 1);
      }
      if (long_polling != nullptr && (key == "long-polling" || key == "websocket") &&
          p_ < end_ && *p_ == '{') {
        return advice(depth + 1, key == "websocket" ? *websocket : *long_polling, nullptr,
                      nullptr);
      }
      return value(depth + 1);
    });
  }

  /// One element of the batch: `p_` is at its '{'.
  bool message(MessageView& m) {
    const char* start = p_;
    spaced_ = false;
    const int depth = 1;
    const bool ok = members(depth, [&](std::string_view key) {
      bool good = true;
      switch (key.empty() ? '\0' : key.front()) {
        case 'c':
          if (key == "channel") {
            if (!string_value(m.channel, good)) {
              m.problem = "\"channel\" is not a string";
              return value(depth + 1);
            }
            return good;
          }
          if (key == "clientId") {
            if (!string_value(m.client_id, good)) {
              m.client_id = {};
              return value(depth + 1);
            }
            return good;
          }
          break;
        case 'd':
          if (key == "data") {
            return raw(depth + 1, m.data);
          }
          break;
        case 'i':
          if (key == "id") {
            if (string_value(m.id, good)) {
              return good;
            }
            const char* at = p_;
            if (!value(depth + 1)) {
              return false;
            }
            const std::string_view token(at, static_cast<std::size_t>(p_ - at));
            if (token.front() == '-' || (token.front() >= '0' && token.front() <= '9')) {
              m.id = token;
            }
            return true;
          }
          break;
        case 's':
          if (key == "successful") {
            const char* at = p_;
            if (!value(depth + 1)) {
              return false;
            }
            const std::string_view token(at, static_cast<std::size_t>(p_ - at));
            if (token == "true" || token == "false") {
              m.successful = token == "true";
            } else {
              m.problem = "\"successful\" is not a boolean";
            }
            return true;
          }
          if (key == "subscription") {
            return raw(depth + 1, m.subscription);
          }
          if (key == "supportedConnectionTypes") {
            return raw(depth + 1, m.supported_connection_types);
          }
          break;
        case 'e':
          if (key == "error") {
            if (string_value(m.error, good)) {
              return good;
            }
            return raw(depth + 1, m.error);
          }
          if (key == "ext") {
            return raw(depth + 1, m.ext);
          }
          break;
        case 'a':
          if (key == "advice") {
            if (p_ < end_ && *p_ == '{') {
              return advice(depth + 1, m.advice, &m.advice_long_polling, &m.advice_websocket);
            }
          }
          break;
        default:
          break;
      }
      return value(depth + 1);
    });
    if (!ok) {
      return false;
    }
    m.raw = std::string_view(start, static_cast<std::size_t>(p_ - start));
    m.compact = !spaced_;
    if (m.channel.empty() && m.problem.empty()) {
      m.problem = "message without \"channel\"";
    }
    return true;
  }

  BatchParser& parser_;
  std::size_t text_size_;
  const char* p_;
  const char* end_;
  char* out_ = nullptr;  // where the next unescaped string goes
  bool spaced_ = false;  // whitespace seen outside strings in the current message
  bool stopped_ = false;
  std::string why_;
};

char* BatchParser::unescape_buffer(std::size_t size) {
  if (unescaped_size_ < size) {
    unescaped_.reset(new char[size]);  // uninitialised: untouched pages cost nothing
    unescaped_size_ = size;
  }
  return unescaped_.get();
}

bool BatchParser::parse(std::string_view body, const OnMessage& on_message) {
  messages_.clear();
  error_.clear();
  if (!simdjson::validate_utf8(body.data(), body.size())) {
    error_ = "invalid JSON (invalid UTF-8)";
    return false;
  }
  Scanner scanner(*this, body);
  std::string_view shape;
  if (!scanner.run(on_message, shape)) {
    if (scanner.stopped()) {
      return true;
    }
    error_ = "invalid JSON (" + std::string(scanner.why()) + ")";
    return false;
  }
  if (!shape.empty()) {
    error_ = std::string(shape);
    return false;
  }
  return true;
}

bool BatchParser::parse(std::string_view body) {
  std::vector<MessageView> messages;
  const bool ok = parse(body, [&messages](const MessageView& m) {
    messages.push_back(m);
    return true;
  });
  if (ok) {
    messages_ = std::move(messages);
  }
  return ok;
}

}  // namespace cometd
