// Secrets never reach a log line: one rule on names, applied to headers, JSON keys and URL
// parameters alike.
#pragma once

#include <string>
#include <string_view>

namespace cometd {

/// The rule. A name (HTTP header, JSON key, URL query parameter) names a secret when, lower
/// case and without '-', '_' and '.', it contains auth, token, key, secret, password, passwd,
/// signature, jwt, cookie, session or credential, or is sid or sig. Not secrets: `author…`
/// (but `authoriz…` is), the `…Authenticate` challenge headers, and names starting with '/'
/// (channel names, as keys of the replay extension and store).
bool is_secret_name(std::string_view name);

/// The same rule, for HTTP header names.
bool is_secret_header(std::string_view name);

/// `value`, or "[redacted]" when the header is a secret; Cookie and Set-Cookie keep what a
/// reader needs (redact_cookie_header).
std::string redact_header_value(std::string_view name, std::string_view value);

/// A Cookie or Set-Cookie header (`name`) with every cookie's value replaced by [redacted]: the
/// cookie names stay, and so do Set-Cookie's attributes (Path, Domain, SameSite, Secure,
/// HttpOnly, Expires, Max-Age…); an unknown attribute's value is redacted too.
/// `Set-Cookie: sid=abc; Path=/; HttpOnly` gives `sid=[redacted]; Path=/; HttpOnly`.
std::string redact_cookie_header(std::string_view name, std::string_view value);

/// `url` without its user:password@ part, and with the value of every secret query, fragment
/// or path parameter (`?access_token=…`, `;jsessionid=…`) replaced by [redacted].
std::string redact_url(std::string_view url);

/// JSON text with every value under a secret key replaced by "[redacted]": strings and numbers,
/// and the leaves of objects and arrays (their keys stay, to show the shape); true, false and
/// null are kept (they hold no secret). Invalid or truncated JSON is handled too.
std::string redact_json(std::string_view json);
/// redact_json(), appended to `out`.
void append_redacted_json(std::string& out, std::string_view json);

/// Free text (a log line): the JSON members and the URL parameters it holds, redacted as above.
std::string redact_text(std::string_view text);

/// A malformed `-H` argument, for an error message: the header name it starts with, then
/// " …"; never the value (`Authorization Bearer eyJ…` gives "Authorization …").
std::string redact_header_argument(std::string_view text);

}  // namespace cometd
