#include <doctest/doctest.h>

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

TEST_SUITE_END();
