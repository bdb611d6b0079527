#include <doctest/doctest.h>

#include "url.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("url");

TEST_CASE("URLs: scheme, host, port, target kept") {
  std::string error;
  auto u = parse_url("http://127.0.0.1:8080/cometd?x=1&y=2", error);
  REQUIRE(u);
  CHECK(u->scheme == "http");
  CHECK(u->host == "127.0.0.1");
  CHECK(u->port == 8080);
  CHECK(u->target == "/cometd?x=1&y=2");
  CHECK(u->origin() == "http://127.0.0.1:8080");
  u = parse_url("HTTPS://Example.com", error);
  REQUIRE(u);
  CHECK(u->scheme == "https");
  CHECK(u->port == 443);
  CHECK(u->target == "/");
  CHECK(u->tls());
  u = parse_url("http://[::1]:9000/c", error);
  REQUIRE(u);
  CHECK(u->host == "::1");
  CHECK(u->origin() == "http://[::1]:9000");
  u = parse_url("https://me:p%40ss@host/cometd/59.0#frag", error);
  REQUIRE(u);
  CHECK(u->userinfo == "me:p%40ss");
  CHECK(u->host == "host");
  CHECK(u->target == "/cometd/59.0");
  CHECK(u->str() == "https://host:443/cometd/59.0");
}

TEST_CASE("ws and http map onto each other, path and query kept") {
  std::string error;
  auto u = parse_url("https://h:8443/cometd?a=b", error);
  REQUIRE(u);
  CHECK(u->with_scheme_family(true).str() == "wss://h:8443/cometd?a=b");
  auto w = parse_url("ws://h/cometd", error);
  REQUIRE(w);
  CHECK(w->port == 80);
  CHECK(w->with_scheme_family(false).str() == "http://h:80/cometd");
}

TEST_CASE("bad URLs") {
  const char* bad[] = {"host:8080/cometd", "ftp://h/", "http://", "http://h:0/", "http://h:99999/",
                       "http://h:8x/", "http://[::1/"};
  for (const char* text : bad) {
    CAPTURE(text);
    std::string error;
    CHECK_FALSE(parse_url(text, error));
    CHECK_FALSE(error.empty());
  }
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("url");

TEST_CASE("NO_PROXY: names match themselves and their subdomains, * matches all") {
  CHECK(no_proxy_matches("localhost,127.0.0.1", "127.0.0.1"));
  CHECK(no_proxy_matches("example.com", "api.example.com"));
  CHECK(no_proxy_matches(".example.com", "api.example.com"));
  CHECK(no_proxy_matches(" example.com , other", "EXAMPLE.com"));
  CHECK(no_proxy_matches("*", "anything"));
  CHECK(no_proxy_matches("[::1]", "::1"));
  CHECK_FALSE(no_proxy_matches("example.com", "badexample.com"));
  CHECK_FALSE(no_proxy_matches("", "host"));
  CHECK_FALSE(no_proxy_matches("127.0.0.1", "127.0.0.12"));
}

TEST_SUITE_END();
