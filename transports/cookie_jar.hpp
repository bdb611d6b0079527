// An RFC 6265 cookie jar, the subset Bayeux servers need: the CometD server finds a session
// only through its BAYEUX_BROWSER cookie. Used on the io thread only.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "url.hpp"

namespace cometd {

class CookieJar {
 public:
  using Clock = std::chrono::system_clock;

  /// Stores one Set-Cookie header value received in a response to `request`.
  void store(const Url& request, std::string_view set_cookie, Clock::time_point now = Clock::now());
  /// The Cookie header value for a request to `request` ("a=1; b=2"), or empty.
  std::string header_for(const Url& request, Clock::time_point now = Clock::now()) const;
  /// Names of the cookies held (for probe: names only, never values).
  std::vector<std::string> names() const;

 private:
  struct Cookie {
    std::string name;
    std::string value;
    std::string domain;  ///< lower case, without a leading dot
    bool host_only = true;
    std::string path;
    bool secure = false;
    std::optional<Clock::time_point> expires;  ///< none: a session cookie
  };
  std::vector<Cookie> cookies_;
};

/// Splits Set-Cookie values that a library folded into one header ("a=1; Path=/, b=2"), as
/// websocketpp does for repeated headers. A comma starts a new cookie only when a `name=`
/// token follows it, so the comma inside an Expires date stays where it is.
std::vector<std::string_view> split_set_cookie_list(std::string_view folded);

}  // namespace cometd
