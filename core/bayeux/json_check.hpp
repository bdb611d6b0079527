// Full JSON validation: what on-demand parsing skips must still be valid before it is echoed.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace cometd {

class JsonValidator {
 public:
  JsonValidator();
  ~JsonValidator();
  JsonValidator(const JsonValidator&) = delete;
  JsonValidator& operator=(const JsonValidator&) = delete;

  /// Whether `text` is one valid JSON value (RFC 8259, UTF-8). `text` must be followed by
  /// simdjson's 64 bytes of padding. On failure `error` says why.
  bool validate(std::string_view text, std::string& error);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The strict scanner behind JsonValidator for what simdjson's DOM refuses although it is valid
/// JSON: integers beyond 64 bits (123456789012345678901234567890).
bool validate_json_text(std::string_view text, std::string& error);

}  // namespace cometd
