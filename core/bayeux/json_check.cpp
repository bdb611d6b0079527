#include "bayeux/json_check.hpp"

#include <simdjson.h>

namespace cometd {

struct JsonValidator::Impl {
  simdjson::dom::parser parser;
};

JsonValidator::JsonValidator() : impl_(std::make_unique<Impl>()) {}
JsonValidator::~JsonValidator() = default;

bool JsonValidator::validate(std::string_view text, std::string& error) {
  simdjson::dom::element root;
  const auto e = impl_->parser.parse(text.data(), text.size(), false).get(root);
  if (e == simdjson::SUCCESS) {
    return true;
  }
  if (e == simdjson::NUMBER_ERROR) {  // also what simdjson 3.0 says of integers over 64 bits
    return validate_json_text(text, error);
  }
  error = simdjson::error_message(e);
  return false;
}

namespace {

/// Recursive descent over RFC 8259; depth-limited like simdjson.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  bool run(std::string& error) {
    if (!simdjson::validate_utf8(s_.data(), s_.size())) {
      error = "invalid UTF-8";
      return false;
    }
    skip_ws();
    if (!value(0)) {
      error = error_.empty() ? "invalid JSON" : error_;
      return false;
    }
    skip_ws();
    if (i_ != s_.size()) {
      error = "content after the JSON value";
      return false;
    }
    return true;
  }

 private:
  static constexpr int k_max_depth = 1024;

  void skip_ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) {
      ++i_;
    }
  }
  bool eat(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) == word) {
      i_ += word.size();
      return true;
    }
    return false;
  }
  bool digits() {
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
      ++i_;
    }
    return i_ > start;
  }
  bool number() {
    eat('-');
    if (eat('0')) {
      // no leading zeros
    } else if (!digits()) {
      return false;
    }
    if (eat('.') && !digits()) {
      return false;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (!eat('+')) {
        eat('-');
      }
      if (!digits()) {
        return false;
      }
    }
    return true;
  }
  bool string() {
    if (!eat('"')) {
      return false;
    }
    while (i_ < s_.size()) {
      const auto c = static_cast<unsigned char>(s_[i_++]);
      if (c == '"') {
        return true;
      }
      if (c < 0x20) {
        return false;
      }
      if (c == '\\') {
        if (i_ >= s_.size()) {
          return false;
        }
        const char e = s_[i_++];
        if (e == 'u') {
          for (int k = 0; k < 4; ++k) {
            if (i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_++]))) {
              return false;
            }
          }
        } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
          return false;
        }
      }
    }
    return false;
  }
  bool value(int depth) {
    if (depth > k_max_depth) {
      error_ = "JSON nested too deeply";
      return false;
    }
    if (i_ >= s_.size()) {
      return false;
    }
    switch (s_[i_]) {
      case '{': {
        ++i_;
        skip_ws();
        if (eat('}')) {
          return true;
        }
        do {
          skip_ws();
          if (!string()) {
            return false;
          }
          skip_ws();
          if (!eat(':')) {
            return false;
          }
          skip_ws();
          if (!value(depth + 1)) {
            return false;
          }
          skip_ws();
        } while (eat(','));
        return eat('}');
      }
      case '[': {
        ++i_;
        skip_ws();
        if (eat(']')) {
          return true;
        }
        do {
          skip_ws();
          if (!value(depth + 1)) {
            return false;
          }
          skip_ws();
        } while (eat(','));
        return eat(']');
      }
      case '"':
        return string();
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

  std::string_view s_;
  std::size_t i_ = 0;
  std::string error_;
};

}  // namespace

bool validate_json_text(std::string_view text, std::string& error) {
  return Scanner(text).run(error);
}

}  // namespace cometd
