// Secrets never reach a log line: header values, URL credentials and JSON token fields.
#pragma once

#include <string>
#include <string_view>

namespace cometd {

/// Authorization, Proxy-Authorization, Cookie, Set-Cookie and anything named like a token.
bool is_secret_header(std::string_view name);

/// `value`, or "[redacted]" when the header is a secret.
std::string redact_header_value(std::string_view name, std::string_view value);

/// `url` without its user:password@ part.
std::string redact_url(std::string_view url);

/// JSON text with the string values of secret-looking keys (token, password, secret,
/// authorization, credential, cookie, session id) replaced by "[redacted]".
std::string redact_json(std::string_view json);

}  // namespace cometd
