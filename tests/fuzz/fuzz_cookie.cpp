// libFuzzer target: bytes as Set-Cookie header values (one a line, and the whole input as a
// value websocketpp folded) → CookieJar. Asserts the jar stays within RFC 6265 §6.1's limits,
// every piece of a folded value lies inside it, and no Cookie header built from what a server
// sent carries a control character (a header injection) or grows past its bound.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cookie_jar.hpp"

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

const cometd::Url& request(std::size_t i) {
  static const cometd::Url urls[] = {
      [] {
        std::string error;
        return *cometd::parse_url("https://api.eu.example.com/cometd/59.0", error);
      }(),
      [] {
        std::string error;
        return *cometd::parse_url("http://127.0.0.1:8080/cometd", error);
      }(),
  };
  return urls[i % 2];
}

void check_header(const std::string& header) {
  // At most 50 cookies for each domain that can match (api.eu.example.com: 4 of them).
  check(header.size() <=
        4 * cometd::CookieJar::k_max_per_domain * (cometd::CookieJar::k_max_cookie_bytes + 2));
  check(std::none_of(header.begin(), header.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  }));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto now = cometd::CookieJar::Clock::time_point(std::chrono::seconds(1'700'000'000));
  cometd::CookieJar jar;
  std::size_t line = 0;
  for (std::size_t start = 0; start <= input.size(); ++line) {
    const std::size_t end = std::min(input.find('\n', start), input.size());
    jar.store(request(line), input.substr(start, end - start), now);
    start = end + 1;
  }
  for (const std::string_view piece : cometd::split_set_cookie_list(input)) {
    check(!piece.empty());
    check(piece.data() >= input.data() && piece.data() + piece.size() <= input.data() + size);
    jar.store(request(0), piece, now);
  }
  check(jar.size() <= cometd::CookieJar::k_max_cookies);
  check(jar.names().size() <= jar.size());
  for (std::size_t i = 0; i < 2; ++i) {
    check_header(jar.header_for(request(i), now));
    // Past the clamp on Expires and Max-Age: only session cookies are left.
    check_header(jar.header_for(request(i), now + cometd::CookieJar::k_max_lifetime * 2));
  }
  return 0;
}
