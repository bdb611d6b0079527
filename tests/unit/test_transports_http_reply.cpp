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

namespace {

/// Feeds `reply` in reads of `step` bytes, as the transport does (what a feed leaves is fed again
/// with the next read).
ReplyParser::State parse_in_reads(ReplyParser& parser, std::string_view reply, std::size_t step) {
  std::string in;
  for (std::size_t at = 0; at < reply.size() && parser.state() != ReplyParser::State::done &&
                           parser.state() != ReplyParser::State::failed;
       at += step) {
    in.append(reply.substr(at, step));
    in.erase(0, parser.feed(in));
  }
  return parser.state();
}

}  // namespace

TEST_CASE("a header line split across reads counts once against the head's limit") {
  // Found by fuzz_http_reply: the part of a line read before was counted again with each read,
  // so a head of 300 bytes in 1-byte reads failed a 512-byte limit.
  HttpLimits limits;
  limits.max_header_bytes = 512;
  const std::string reply = "HTTP/1.1 200 OK\r\nSet-Cookie: session=" + std::string(260, 'a') +
                            "\r\nContent-Length: 2\r\n\r\n[]";
  for (const std::size_t step : {std::size_t{1}, std::size_t{7}, reply.size()}) {
    ReplyParser parser(limits, false);
    CAPTURE(step);
    CHECK(parse_in_reads(parser, reply, step) == ReplyParser::State::done);
    CHECK(parser.reply().body == "[]");
  }
  // And the limit still holds, however the head is cut.
  const std::string big = "HTTP/1.1 200 OK\r\nX: " + std::string(600, 'b') + "\r\n\r\n";
  for (const std::size_t step : {std::size_t{1}, std::size_t{64}, big.size()}) {
    ReplyParser parser(limits, false);
    CAPTURE(step);
    CHECK(parse_in_reads(parser, big, step) == ReplyParser::State::failed);
    CHECK(parser.oversized());
  }
}

TEST_CASE("a status line with a status under 100 is not HTTP") {
  // Found by fuzz_http_reply: "HTTP/1.1 000" was a reply with status 0.
  ReplyParser parser(HttpLimits{}, false);
  CHECK(parse_in_reads(parser, "HTTP/1.1 000 Nothing\r\n\r\n", 64) == ReplyParser::State::failed);
  CHECK_FALSE(parser.oversized());
  ReplyParser ok(HttpLimits{}, false);
  CHECK(parse_in_reads(ok, "HTTP/1.1 599 Odd\r\nContent-Length: 0\r\n\r\n", 64) ==
        ReplyParser::State::done);
  CHECK(ok.reply().status == 599);
}
