// libFuzzer target: bytes as the stdout of an --auth-command helper → parse_credentials.
// Asserts that nothing throws, that a rejection has a reason, and that every header it accepts
// follows the one header rule (token name; value without CR, LF, NUL or other controls), so
// that a helper can never put a line of its own on the wire.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "auth_command.hpp"
#include "header_field.hpp"

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string output(reinterpret_cast<const char*>(data), size);
  output.reserve(output.size() + 64);  // simdjson's padding, as the helper's reader leaves it
  cometd::Credentials credentials;
  std::string error;
  if (!cometd::parse_credentials(output, credentials, error)) {
    check(!error.empty());
    return 0;
  }
  check(!credentials.headers.empty() || !credentials.ext.empty());
  for (const auto& [name, value] : credentials.headers) {
    check(cometd::is_header_name(name));
    check(cometd::is_header_value(value));
  }
  return 0;
}
