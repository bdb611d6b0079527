// libFuzzer target: bytes → parse_url (the server URL and the proxy). Asserts that a URL it
// accepts can never put a control byte or a space on the wire (request line, Host, CONNECT),
// that the host is a name or an IPv6 literal, the port is in range, the target starts with
// '/', and that the URL it prints parses back to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "url.hpp"

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

bool clean(std::string_view text) {
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto url = cometd::parse_url(text, error);
  if (!url) {
    check(!error.empty());
    return 0;
  }
  check(!url->host.empty());
  check(url->port > 0 && url->port <= 65535);
  check(!url->target.empty() && url->target.front() == '/');
  check(clean(url->host) && clean(url->target) && clean(url->origin()));
  for (const char c : url->userinfo) {
    check(static_cast<unsigned char>(c) > 0x20 && c != 0x7f);
  }
  check(url->host.find_first_of("[]/@?#") == std::string::npos);
  std::string again_error;
  const auto again = cometd::parse_url(url->str(), again_error);
  check(again.has_value());
  check(again->host == url->host && again->port == url->port && again->target == url->target &&
        again->scheme == url->scheme);
  for (const bool websocket : {true, false}) {
    check(clean(url->with_scheme_family(websocket).str()));
  }
  return 0;
}
