// Hexadecimal digits, shared by the JSON scanner (\uXXXX) and URL percent-decoding.
#pragma once

namespace cometd {

/// The value of the hexadecimal digit `c` (either case), or -1 when it is not one.
constexpr int hex_digit_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

}  // namespace cometd
