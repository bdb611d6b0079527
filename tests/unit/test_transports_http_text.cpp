#include <doctest/doctest.h>

#include "http_reply_parser.hpp"

using namespace cometd;

TEST_CASE("an HTTP failure reads as its status line and the body's first bytes, on one line") {
  CHECK(http_status_text(404, "Not Found", "{\"error\":\n  \"unknown\"}\n") ==
        "HTTP 404 Not Found: {\"error\": \"unknown\"}");
  CHECK(http_status_text(503, "", "") == "HTTP 503");
  CHECK(http_status_text(400, "Bad Request", std::string(300, 'x')).size() < 140);
}

TEST_CASE("a proxy's refusal of CONNECT: an outage behind it is retried, its policy is not") {
  for (const int status : {502, 503, 504}) {
    const ProxyRefusal r = proxy_refusal("127.0.0.1:3128", "example.com:443", status, "Gateway");
    CHECK(r.retry);
    CHECK(r.detail == "the proxy 127.0.0.1:3128 could not reach example.com:443 (HTTP " +
                          std::to_string(status) + " Gateway)");
  }
  for (const int status : {400, 403, 407, 500, 501, 505}) {
    const ProxyRefusal r = proxy_refusal("127.0.0.1:3128", "example.com:443", status, "");
    CHECK_FALSE(r.retry);
    CHECK(r.detail == "the proxy 127.0.0.1:3128 refused CONNECT example.com:443 (HTTP " +
                          std::to_string(status) + ")");
  }
  const ProxyRefusal forbidden = proxy_refusal("p:1", "[::1]:8443", 403, "Forbidden\r\nX: y");
  CHECK(forbidden.detail.find('\n') == std::string::npos);  // a reason cannot break the line
}
