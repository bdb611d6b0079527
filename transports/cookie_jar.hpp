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

}  // namespace cometd
