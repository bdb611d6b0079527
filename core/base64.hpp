// Base64 (RFC 4648 §4, with padding): the credentials of HTTP Basic authentication, for the
// server (user:password@ in the URL) and for a proxy (Proxy-Authorization).
#pragma once

#include <string>
#include <string_view>

namespace cometd {

std::string base64(std::string_view in);

}  // namespace cometd
