#include <doctest/doctest.h>

#include "io/publish_line.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("publish_line");

TEST_CASE("request lines: channel and data, optional id and ext, unknown fields ignored") {
  PublishLineParser parser;
  PublishRequest r;
  std::string reason;
  REQUIRE(parser.parse(R"({"channel":"/chat/a","data":{"x": 1.0}})", r, reason));
  CHECK(r.channel == "/chat/a");
  CHECK(r.data == R"({"x":1.0})");
  CHECK(r.id.empty());
  REQUIRE(parser.parse(R"({"id":"7","channel":"/a","data":"s","ext":{"k":[1, 2]},"successful":true,"clientId":"x"})",
                       r, reason));
  CHECK(r.id == "7");
  CHECK(r.data == R"("s")");
  CHECK(r.ext == R"({"k":[1,2]})");
  REQUIRE(parser.parse(R"({"channel":"/a","data":null,"id":12})", r, reason));
  CHECK(r.data == "null");
  CHECK(r.id == "12");
}

TEST_CASE("subscribe output can be piped into publish") {
  PublishLineParser parser;
  PublishRequest r;
  std::string reason;
  REQUIRE(parser.parse(R"({"id":"4","channel":"/chat/room","data":{"text":"hello","n":1}})", r,
                       reason));
  CHECK(r.channel == "/chat/room");
  CHECK(r.data == R"({"text":"hello","n":1})");
}

TEST_CASE("bad request lines and their reasons") {
  struct Row {
    const char* line;
    const char* reason;
  };
  const Row rows[] = {
      {"not json", "not JSON"},
      {R"({"channel":"/a","data":1)", "not JSON"},
      {R"({"channel":"/a","data":1} x)", "not JSON"},
      {"[1]", "not a JSON object"},
      {R"({"data":1})", "no \"channel\""},
      {R"({"channel":"/a"})", "no \"data\""},
      {R"({"channel":5,"data":1})", "\"channel\" is not a string"},
      {R"({"channel":"/a/*","data":1})", "cannot publish to the wildcard channel /a/*"},
      {R"({"channel":"/a/**","data":1})", "cannot publish to the wildcard channel /a/**"},
      {R"({"channel":"/meta/connect","data":1})", "cannot publish to the meta channel"},
      {R"({"channel":"a","data":1})", "invalid channel \"a\": channel must start with '/'"},
      {R"({"channel":"/a","data":1,"ext":[]})", "\"ext\" is not an object"},
      {R"({"channel":"/a","data":1,"id":{}})", "\"id\" is not a string"},
  };
  PublishLineParser parser;
  for (const auto& row : rows) {
    CAPTURE(row.line);
    PublishRequest r;
    std::string reason;
    CHECK_FALSE(parser.parse(row.line, r, reason));
    CHECK(reason.find(row.reason) == 0);
  }
}

TEST_CASE("data lines: any JSON value for the fixed channel") {
  PublishLineParser parser("/fixed");
  PublishRequest r;
  std::string reason;
  REQUIRE(parser.parse(R"( {"a" : [1, 2]} )", r, reason));
  CHECK(r.channel == "/fixed");
  CHECK(r.data == R"({"a":[1,2]})");
  REQUIRE(parser.parse("42", r, reason));
  CHECK(r.data == "42");
  REQUIRE(parser.parse("false", r, reason));
  CHECK(r.data == "false");
  CHECK_FALSE(parser.parse("hello", r, reason));
  CHECK(reason.find("not JSON") == 0);
  CHECK_FALSE(parser.parse("1 2", r, reason));
}

TEST_CASE("a line that is not JSON: the reason in our words, a hint when it reads as text") {
  PublishLineParser data_lines("/fixed");
  PublishLineParser requests;
  PublishRequest r;
  std::string reason;
  CHECK_FALSE(data_lines.parse("hello world", r, reason));
  CHECK(reason ==
        "not JSON: 'hello' is not a JSON value (column 1); quote a JSON string as '\"text\"', "
        "or publish text as it is with --raw");
  CHECK(r.channel == "/fixed");  // kept for the --acks record
  CHECK_FALSE(data_lines.parse(R"({"a":1,})", r, reason));
  CHECK(reason == "not JSON: a comma before '}' at column 8");
  CHECK_FALSE(requests.parse("hello", r, reason));
  CHECK(reason.find("; each line is a request such as {\"channel\"") != std::string::npos);
  CHECK(r.channel.empty());
  CHECK_FALSE(requests.parse(R"({"channel":"/a/*","data":1,"id":"x"})", r, reason));
  CHECK(r.channel == "/a/*");
  CHECK(r.id == "x");
}

TEST_CASE("--raw: each line is text, sent as a JSON string") {
  PublishLineParser parser("/fixed", true);
  PublishRequest r;
  std::string reason;
  REQUIRE(parser.parse(R"(say "hi" \o/ {"not":"parsed"})", r, reason));
  CHECK(r.data == R"("say \"hi\" \\o/ {\"not\":\"parsed\"}")");
  REQUIRE(parser.parse("tab\there", r, reason));
  CHECK(r.data == R"("tab\there")");
  REQUIRE(parser.parse("h\xc3\xa9", r, reason));
  CHECK(r.data == "\"h\xc3\xa9\"");
  CHECK_FALSE(parser.parse("bad \xff byte", r, reason));
  CHECK(reason == "--raw sends text: a byte that is not UTF-8 at column 5");
}

TEST_SUITE_END();

TEST_CASE("integers beyond 64 bits are valid JSON and kept as written") {
  PublishLineParser parser("/a");
  PublishRequest r;
  std::string reason;
  REQUIRE(parser.parse("{\"big\": 123456789012345678901234567890}", r, reason));
  CHECK(r.data == R"({"big":123456789012345678901234567890})");
  CHECK_FALSE(parser.parse("{\"big\": 123456789012345678901234567890,}", r, reason));
}
