// Appending JSON to a reused std::string: strings escaped, raw spans copied unchanged.
#pragma once

#include <string>
#include <string_view>

namespace cometd {

/// Appends `text` as a JSON string literal (quotes included). Control characters, `"` and `\`
/// are escaped; every other byte, UTF-8 included, is copied as is.
void append_json_string(std::string& out, std::string_view text);

/// Appends the JSON value `raw` without whitespace outside strings. Escapes, number text and key
/// order are kept byte for byte; spans that hold no whitespace byte are copied as they are.
void append_minified(std::string& out, std::string_view raw);

/// append_minified(), or a plain copy when the caller knows `raw` is already `compact`.
inline void append_json(std::string& out, std::string_view raw, bool compact) {
  if (compact) {
    out.append(raw);
  } else {
    append_minified(out, raw);
  }
}

/// Whether `raw` holds a byte that JSON allows as insignificant whitespace (space, TAB, LF, CR).
bool has_json_whitespace(std::string_view raw);

/// Removes JSON whitespace at both ends of `raw`.
std::string_view trim_json_whitespace(std::string_view raw);

}  // namespace cometd
