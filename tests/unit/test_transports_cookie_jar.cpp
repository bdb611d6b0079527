#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "cookie_jar.hpp"

using namespace cometd;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("cookies");

namespace {

Url url(const char* text) {
  std::string error;
  return *parse_url(text, error);
}

}  // namespace

TEST_CASE("CometD Node's BAYEUX_BROWSER: no Path, an IP host") {
  CookieJar jar;
  jar.store(url("http://127.0.0.1:8080/cometd"),
            "BAYEUX_BROWSER=855c30d1fa55e444115c3ff5c3554f4badc0fe10; HttpOnly");
  CHECK(jar.header_for(url("http://127.0.0.1:8080/cometd")) ==
        "BAYEUX_BROWSER=855c30d1fa55e444115c3ff5c3554f4badc0fe10");
  // the default path is the request's directory, "/" here: any path matches
  CHECK(jar.header_for(url("http://127.0.0.1:8080/other")) != "");
  CHECK(jar.header_for(url("http://127.0.0.2:8080/cometd")) == "");
  CHECK(jar.names() == std::vector<std::string>{"BAYEUX_BROWSER"});
}

TEST_CASE("the default path is the directory of the request path") {
  CookieJar jar;
  jar.store(url("http://h/cometd/59.0"), "a=1");
  CHECK(jar.header_for(url("http://h/cometd/59.0")) == "a=1");
  CHECK(jar.header_for(url("http://h/cometd/x")) == "a=1");
  CHECK(jar.header_for(url("http://h/other")) == "");
}

TEST_CASE("Path, Domain, Secure, replacement and the order of paths") {
  CookieJar jar;
  jar.store(url("https://api.example.com/cometd/59.0"), "BAYEUX_BROWSER=b; Path=/cometd/; Secure");
  jar.store(url("https://api.example.com/cometd/59.0"), "sfdc-stream=s1; Domain=example.com; Path=/");
  CHECK(jar.header_for(url("https://api.example.com/cometd/59.0")) == "BAYEUX_BROWSER=b; sfdc-stream=s1");
  CHECK(jar.header_for(url("https://other.example.com/")) == "sfdc-stream=s1");
  CHECK(jar.header_for(url("http://api.example.com/cometd/x")) == "sfdc-stream=s1");  // not secure
  jar.store(url("https://api.example.com/cometd/59.0"), "sfdc-stream=s2; Domain=.example.com; Path=/");
  CHECK(jar.header_for(url("https://other.example.com/")) == "sfdc-stream=s2");
  jar.store(url("https://api.example.com/"), "evil=1; Domain=attacker.com");
  CHECK(jar.header_for(url("https://attacker.com/")) == "");
}

TEST_CASE("expiry: Max-Age wins over Expires, 0 deletes") {
  CookieJar jar;
  const auto now = CookieJar::Clock::now();
  jar.store(url("http://h/"), "a=1; Max-Age=10; Expires=Thu, 01 Jan 1970 00:00:00 GMT", now);
  CHECK(jar.header_for(url("http://h/"), now) == "a=1");
  CHECK(jar.header_for(url("http://h/"), now + 11s) == "");
  jar.store(url("http://h/"), "b=1", now);
  jar.store(url("http://h/"), "b=1; Max-Age=0", now);
  CHECK(jar.header_for(url("http://h/"), now) == "a=1");
  jar.store(url("http://h/"), "c=1; Expires=Wed, 21 Oct 2015 07:28:00 GMT", now);
  CHECK(jar.header_for(url("http://h/"), now) == "a=1");
}

TEST_CASE("malformed Set-Cookie values are ignored") {
  CookieJar jar;
  jar.store(url("http://h/"), "novalue");
  jar.store(url("http://h/"), "=x");
  jar.store(url("http://h/"), "");
  jar.store(url("http://h/"), "a=1\r\nX-Injected: yes");  // control characters
  jar.store(url("http://h/"), std::string("b=\0", 3));
  jar.store(url("http://h/"), "c=\x1b[2J");
  CHECK(jar.header_for(url("http://h/")) == "");
}

TEST_CASE("Set-Cookie headers folded into one are split at cookie boundaries only") {
  using V = std::vector<std::string_view>;
  CHECK(split_set_cookie_list("") == V{});
  CHECK(split_set_cookie_list("a=1") == V{"a=1"});
  CHECK(split_set_cookie_list("BAYEUX_BROWSER=x1; Path=/, JSESSIONID=y; HttpOnly") ==
        V{"BAYEUX_BROWSER=x1; Path=/", "JSESSIONID=y; HttpOnly"});
  // The comma of an Expires date is not a boundary.
  CHECK(split_set_cookie_list("a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT, b=2") ==
        V{"a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT", "b=2"});
  CookieJar jar;
  for (auto one : split_set_cookie_list("a=1; Path=/,b=2")) {
    jar.store(url("http://h/"), one);
  }
  CHECK(jar.header_for(url("http://h/")) == "a=1; b=2");
}

TEST_CASE("30,000 cookies in one reply: linear, and the jar stays within RFC 6265 limits") {
  CookieJar jar;
  const auto now = CookieJar::Clock::now();
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < 30000; ++i) {
    jar.store(url("http://127.0.0.1/cometd"), "c" + std::to_string(i) + "=" + std::string(100, 'v'), now);
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  // Quadratic in the number of cookies, this took 3.7 s (release build).
  CHECK(elapsed < std::chrono::seconds(1));
  CHECK(jar.names().size() == CookieJar::k_max_per_domain);
  // The newest 50 are kept, the oldest made room.
  const std::string header = jar.header_for(url("http://127.0.0.1/cometd"), now);
  CHECK(header.find("c29999=") != std::string::npos);
  CHECK(header.find("c29950=") != std::string::npos);
  CHECK(header.find("c29949=") == std::string::npos);
  CHECK(header.size() < 50 * 110);
}

TEST_CASE("at most 50 cookies a domain and 3000 in all") {
  CookieJar jar;
  for (int i = 0; i < 60; ++i) {
    jar.store(url("http://one.example/"), "a" + std::to_string(i) + "=1");
  }
  jar.store(url("http://two.example/"), "b=1");
  CHECK(jar.header_for(url("http://two.example/")) == "b=1");  // other domains untouched
  const std::string one = jar.header_for(url("http://one.example/"));
  CHECK(one.rfind("a10=1; a11=1", 0) == 0);  // a0..a9 made room
  CHECK(jar.names().size() == 51);
  for (int host = 0; host < 70; ++host) {
    for (int i = 0; i < 50; ++i) {
      jar.store(url(("http://h" + std::to_string(host) + ".example/").c_str()),
                "x" + std::to_string(host) + "_" + std::to_string(i) + "=1");
    }
  }
  CHECK(jar.names().size() == CookieJar::k_max_cookies);
  CHECK(jar.header_for(url("http://one.example/")).empty());  // the oldest went first
  CHECK(jar.header_for(url("http://h69.example/")).find("x69_49=1") != std::string::npos);
}

TEST_CASE("a cookie over 4096 bytes is ignored") {
  CookieJar jar;
  const std::string at_limit = "a=" + std::string(4096 - 2, 'v');
  jar.store(url("http://h/"), at_limit);
  jar.store(url("http://h/"), "b=" + std::string(4096, 'v'));
  CHECK(jar.header_for(url("http://h/")) == at_limit);
}

TEST_CASE("far-future Expires and Max-Age are clamped to 400 days, and the cookie kept") {
  CookieJar jar;
  const auto now = CookieJar::Clock::now();
  const auto day = std::chrono::hours(24);
  jar.store(url("http://h/"), "a=1; Max-Age=99999999999999999999", now);
  jar.store(url("http://h/"), "b=1; Max-Age=9223372036854775807", now);
  jar.store(url("http://h/"), "c=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT", now);
  jar.store(url("http://h/"), "d=1; Expires=Sat, 01 Jan 0001 00:00:00 GMT", now);  // a deletion
  jar.store(url("http://h/"), "e=1; Max-Age=-5", now);
  CHECK(jar.header_for(url("http://h/"), now) == "a=1; b=1; c=1");
  CHECK(jar.header_for(url("http://h/"), now + 399 * day) == "a=1; b=1; c=1");
  CHECK(jar.header_for(url("http://h/"), now + 401 * day).empty());
}

TEST_CASE("a cookie is keyed by name, domain and path") {
  CookieJar jar;
  jar.store(url("http://h/a/x"), "n=1; Path=/a");
  jar.store(url("http://h/a/x"), "n=2; Path=/a");  // replaces
  jar.store(url("http://h/a/x"), "n=3; Path=/");   // another cookie
  CHECK(jar.header_for(url("http://h/a/x")) == "n=2; n=3");
}

TEST_SUITE_END();
