#include "io/json_diagnosis.hpp"

#include <cctype>
#include <cstdint>

#include "utf8.hpp"

namespace cometd {

namespace {

constexpr int k_max_depth = 1024;

/// A recursive descent over RFC 8259 that stops at the first error and says what it is.
class Diagnosis {
 public:
  explicit Diagnosis(std::string_view text) : s_(text) {}

  std::string run() {
    if (auto bad = invalid_utf8(); bad != std::string_view::npos) {
      return "a byte that is not UTF-8 at column " + std::to_string(column(bad));
    }
    skip_ws();
    if (i_ == s_.size()) {
      return "no JSON value";
    }
    if (!value(0)) {
      return error_;
    }
    skip_ws();
    if (i_ != s_.size()) {
      return "more after the JSON value ended, at column " + std::to_string(column(i_));
    }
    return {};
  }

 private:
  /// The offset of the first byte that breaks UTF-8, or npos.
  std::size_t invalid_utf8() const {
    for (std::size_t i = 0; i < s_.size();) {
      unsigned code_point = 0;
      const std::size_t n = utf8_sequence(s_.substr(i), code_point);
      if (n == 0) {
        return i;
      }
      i += n;
    }
    return std::string_view::npos;
  }

  /// 1-based, in characters (UTF-8 continuation bytes do not count).
  std::size_t column(std::size_t offset) const {
    std::size_t n = 1;
    for (std::size_t i = 0; i < offset && i < s_.size(); ++i) {
      n += (static_cast<unsigned char>(s_[i]) & 0xc0) != 0x80 ? 1 : 0;
    }
    return n;
  }

  std::string at() const { return " at column " + std::to_string(column(i_)); }

  /// What is at i_, for a message: 'x', or "the end of the line".
  std::string found() const {
    if (i_ >= s_.size()) {
      return "the end of the line";
    }
    const auto c = static_cast<unsigned char>(s_[i_]);
    if (c < 0x20 || c == 0x7f) {
      return "a control character";
    }
    return "'" + std::string(1, static_cast<char>(c)) + "'";
  }

  bool fail(std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
    }
    return false;
  }

  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) {
      ++i_;
    }
  }

  bool value(int depth) {
    if (depth > k_max_depth) {
      return fail("nested more than " + std::to_string(k_max_depth) + " levels deep" + at());
    }
    if (i_ >= s_.size()) {
      return fail("the line ends where a value should be");
    }
    const char c = s_[i_];
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      default:
        break;
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) {
      return number();
    }
    return word();
  }

  /// true, false, null, or a word that is none of them.
  bool word() {
    const std::size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) {
      ++i_;
    }
    const std::string_view w = s_.substr(start, i_ - start);
    if (w == "true" || w == "false" || w == "null") {
      return true;
    }
    const std::size_t col = column(start);
    i_ = start;
    if (w.empty()) {
      return fail("expected a value, found " + found() + at());
    }
    return fail("'" + std::string(w.substr(0, 40)) + (w.size() > 40 ? "..." : "") +
                "' is not a JSON value (column " + std::to_string(col) + ")");
  }

  bool digits() {
    const std::size_t start = i_;
    while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
      ++i_;
    }
    return i_ > start;
  }

  bool number() {
    const std::size_t start = i_;
    if (s_[i_] == '-') {
      ++i_;
    }
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
      if (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) {
        i_ = start;
        return fail("a number with a leading zero" + at());
      }
    } else if (!digits()) {
      return fail("a '-' without digits" + at());
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (!digits()) {
        return fail("a number without digits after its '.'" + at());
      }
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) {
        ++i_;
      }
      if (!digits()) {
        return fail("a number without digits in its exponent" + at());
      }
    }
    return true;
  }

  bool string() {
    const std::size_t start = i_;
    ++i_;  // the opening quote
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return true;
      }
      if (c < 0x20) {
        return fail("a control character inside a string" + at() + " (escape it, as \\n or \\t)");
      }
      if (c == '\\') {
        ++i_;
        if (i_ >= s_.size()) {
          break;
        }
        const char e = s_[i_];
        if (e == 'u') {
          for (int k = 1; k <= 4; ++k) {
            if (i_ + k >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_ + k]))) {
              --i_;
              return fail("a \\u escape without four hex digits" + at());
            }
          }
          i_ += 4;
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          --i_;
          return fail("an unknown escape '\\" + std::string(1, e) + "' in a string" + at());
        }
      }
      ++i_;
    }
    i_ = start;
    return fail("a string that is never closed, from column " + std::to_string(column(start)));
  }

  bool object(int depth) {
    const std::size_t open = i_;
    ++i_;
    skip_ws();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return true;
    }
    while (true) {
      skip_ws();
      if (i_ >= s_.size()) {
        return unclosed('{', open);
      }
      if (s_[i_] == '}') {
        return fail("a comma before '}'" + at());
      }
      if (s_[i_] != '"') {
        return fail("expected a key in double quotes, found " + found() + at());
      }
      if (!string()) {
        return false;
      }
      skip_ws();
      if (i_ >= s_.size()) {
        return unclosed('{', open);
      }
      if (s_[i_] != ':') {
        return fail("expected ':' after the key, found " + found() + at());
      }
      ++i_;
      skip_ws();
      if (i_ >= s_.size()) {
        return unclosed('{', open);
      }
      if (!value(depth + 1)) {
        return false;
      }
      skip_ws();
      if (i_ >= s_.size()) {
        return unclosed('{', open);
      }
      if (s_[i_] == '}') {
        ++i_;
        return true;
      }
      if (s_[i_] != ',') {
        return fail("expected ',' or '}' after a value, found " + found() + at());
      }
      ++i_;
    }
  }

  bool array(int depth) {
    const std::size_t open = i_;
    ++i_;
    skip_ws();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return true;
    }
    while (true) {
      skip_ws();
      if (i_ >= s_.size()) {
        return unclosed('[', open);
      }
      if (s_[i_] == ']') {
        return fail("a comma before ']'" + at());
      }
      if (!value(depth + 1)) {
        return false;
      }
      skip_ws();
      if (i_ >= s_.size()) {
        return unclosed('[', open);
      }
      if (s_[i_] == ']') {
        ++i_;
        return true;
      }
      if (s_[i_] != ',') {
        return fail("expected ',' or ']' after a value, found " + found() + at());
      }
      ++i_;
    }
  }

  bool unclosed(char bracket, std::size_t open) {
    return fail(std::string("the line ends before the '") + bracket + "' of column " +
                std::to_string(column(open)) + " is closed");
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::string error_;
};

}  // namespace

std::string describe_json_error(std::string_view text) { return Diagnosis(text).run(); }

bool looks_like_text(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return false;
  }
  const char c = text[first];
  return c != '{' && c != '[' && c != '"';
}

}  // namespace cometd
