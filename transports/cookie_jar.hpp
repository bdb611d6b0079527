// An RFC 6265 cookie jar, the subset Bayeux servers need: the CometD server finds a session
// only through its BAYEUX_BROWSER cookie. Bounded as §6.1 says a user agent may be, so that a
// server cannot grow it (or the Cookie header) without limit. Used on the io thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "session/transport.hpp"
#include "url.hpp"

namespace cometd {

class CookieJar {
 public:
  using Clock = std::chrono::system_clock;

  /// A Set-Cookie value longer than this (name, value and attributes) is ignored.
  static constexpr std::size_t k_max_cookie_bytes = 4096;
  /// Past these, the oldest cookie of the domain, or of the jar, makes room.
  static constexpr std::size_t k_max_per_domain = 50;
  static constexpr std::size_t k_max_cookies = 3000;
  /// Expires and Max-Age further away are clamped to this (RFC 6265bis: 400 days).
  static constexpr std::chrono::seconds k_max_lifetime{400LL * 24 * 3600};

  /// Stores one Set-Cookie header value received in a response to `request`: O(log n).
  void store(const Url& request, std::string_view set_cookie, Clock::time_point now = Clock::now());
  /// The Cookie header value for a request to `request` ("a=1; b=2"), or empty.
  std::string header_for(const Url& request, Clock::time_point now = Clock::now()) const;
  /// Names of the cookies held (for probe: names only, never values).
  std::vector<std::string> names() const;
  /// How many cookies are held (expired ones included until they make room).
  std::size_t size() const { return cookies_.size(); }

 private:
  /// RFC 6265 §5.3 step 11: a cookie replaces the one with the same name, domain and path.
  struct Key {
    std::string domain;  ///< lower case, without a leading dot
    std::string path;
    std::string name;
    bool operator<(const Key& other) const;
  };
  struct Cookie {
    std::string value;
    bool host_only = true;
    bool secure = false;
    std::optional<Clock::time_point> expires;  ///< none: a session cookie
    std::uint64_t created = 0;                 ///< creation order, for §5.4 and eviction
  };
  using Map = std::map<Key, Cookie>;

  void insert(Key key, Cookie cookie, Clock::time_point now);
  void erase(Map::iterator it);
  /// The cookies whose domain is `domain`: [first, last).
  std::pair<Map::const_iterator, Map::const_iterator> domain_range(const std::string& domain) const;

  Map cookies_;
  std::map<std::uint64_t, Map::iterator> by_age_;  // oldest first
  std::uint64_t next_created_ = 0;
};

/// Splits Set-Cookie values that a library folded into one header ("a=1; Path=/, b=2"), as
/// websocketpp does for repeated headers. A comma starts a new cookie only when a `name=`
/// token follows it, so the comma inside an Expires date stays where it is.
std::vector<std::string_view> split_set_cookie_list(std::string_view folded);

/// Leaves one Cookie header in `headers` (RFC 6265 §5.4 allows only one): the values of its
/// Cookie headers (-H, in order), then `jar_cookies`; none when all are empty.
void merge_cookie_header(Headers& headers, std::string_view jar_cookies);

}  // namespace cometd
