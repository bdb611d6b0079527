// Byte-level primitives of the reply scanner (message.cpp): the fast search for a string's
// end or escape, JSON whitespace, and UTF-8 encoding of an unescaped code point.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cometd::json_scan {

/// The offset of the first '"', '\\' or control byte (< 0x20) among the next bytes at `p`
/// (16 with SSE2, 8 on other little-endian machines, 1 on big-endian ones), or the block
/// size when there is none. At least that many bytes must be readable.
#if defined(__SSE2__)
constexpr std::ptrdiff_t k_block = 16;
inline unsigned first_string_special(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  const __m128i special = _mm_or_si128(
      _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
      // unsigned v <= 0x1f
      _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1f)), _mm_set1_epi8(0x1f)));
  const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special));
  return mask == 0 ? 16U : static_cast<unsigned>(__builtin_ctz(mask));
}
#elif __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr std::ptrdiff_t k_block = 8;
inline unsigned first_string_special(const char* p) {
  // SWAR: the lowest flagged byte of each test is exact (borrows only run upwards).
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  const std::uint64_t quote = w ^ (ones * '"');
  const std::uint64_t backslash = w ^ (ones * '\\');
  const std::uint64_t mask = (((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) |
                              ((w - ones * 0x20) & ~w)) &
                             highs;
  return mask == 0 ? 8U : static_cast<unsigned>(__builtin_ctzll(mask)) / 8;
}
#else
constexpr std::ptrdiff_t k_block = 1;  // big-endian: the SWAR byte order does not hold
inline unsigned first_string_special(const char* p) {
  const auto c = static_cast<unsigned char>(*p);
  return c == '"' || c == '\\' || c < 0x20 ? 0U : 1U;
}
#endif

inline bool is_ws(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

inline void append_utf8(char*& out, std::uint32_t cp) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace cometd::json_scan
