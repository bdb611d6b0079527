// Reading UTF-8 one sequence at a time, for the places that must say where text stops being
// UTF-8 or replace what is not: log lines, trace records, a bad stdin line's diagnosis.
#pragma once

#include <cstddef>
#include <string_view>

namespace cometd {

/// The length of the well-formed UTF-8 sequence at the start of `s` (1 to 4) and its code
/// point, or 0 when `s` is empty or does not start with one (a stray continuation byte, an
/// overlong form, a surrogate, a code point over U+10FFFF, a sequence cut short).
inline std::size_t utf8_sequence(std::string_view s, unsigned& code_point) {
  if (s.empty()) {
    return 0;
  }
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) {
    code_point = b0;
    return 1;
  }
  std::size_t length = 0;
  unsigned min = 0;
  if (b0 >= 0xc2 && b0 <= 0xdf) {
    length = 2;
    code_point = b0 & 0x1fu;
    min = 0x80;
  } else if (b0 >= 0xe0 && b0 <= 0xef) {
    length = 3;
    code_point = b0 & 0x0fu;
    min = 0x800;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    length = 4;
    code_point = b0 & 0x07u;
    min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < length) {
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xc0u) != 0x80u) {
      return 0;
    }
    code_point = (code_point << 6) | (b & 0x3fu);
  }
  const bool surrogate = code_point >= 0xd800 && code_point <= 0xdfff;
  return code_point < min || surrogate || code_point > 0x10ffff ? 0 : length;
}

}  // namespace cometd
