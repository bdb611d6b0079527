#include <doctest/doctest.h>

#include "bayeux/message.hpp"
#include "io/output.hpp"
#include "io/pretty.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("output");

namespace {

std::string plain(std::string_view json) {
  std::string out;
  append_pretty_json(out, json, plain_palette());
  return out;
}

std::string pretty_record(std::string body, bool color) {
  BatchParser parser;
  REQUIRE(parser.parse(body));
  OutputFormatter formatter(OutputFormat::pretty, {"/chat/**", "/exact"}, color);
  std::string out;
  formatter.append(out, parser.messages()[0], 1, std::chrono::system_clock::now());
  return out;
}

}  // namespace

TEST_CASE("pretty: indented by two, the text of numbers and strings kept") {
  CHECK(plain(R"({"a":1.0,"b":[1,"x\n"],"c":{},"d":[],"e":{"f":null}})") ==
        "{\n"
        "  \"a\": 1.0,\n"
        "  \"b\": [\n"
        "    1,\n"
        "    \"x\\n\"\n"
        "  ],\n"
        "  \"c\": {},\n"
        "  \"d\": [],\n"
        "  \"e\": {\n"
        "    \"f\": null\n"
        "  }\n"
        "}\n");
  CHECK(plain(" [ true , false ] ") == "[\n  true,\n  false\n]\n");
  CHECK(plain("123456789012345678901234567890") == "123456789012345678901234567890\n");
  CHECK(plain(R"("a \"quoted\" : , { string")") == "\"a \\\"quoted\\\" : , { string\"\n");
}

TEST_CASE("pretty: long strings are not cut") {
  const std::string long_text(10000, 'y');
  CHECK(plain("\"" + long_text + "\"") == "\"" + long_text + "\"\n");
}

TEST_CASE("pretty: characters that act on a terminal are escaped as JSON would") {
  CHECK(plain("\"a\x7f" "b\"") == "\"a\\u007fb\"\n");
  CHECK(plain("\"\xc2\x9b" "31m\"") == "\"\\u009b31m\"\n");        // C1 CSI
  CHECK(plain("\"\xe2\x80\xae" "abc\"") == "\"\\u202eabc\"\n");    // right-to-left override
  CHECK(plain("\"\xc3\xa9\xe2\x82\xac\"") == "\"\xc3\xa9\xe2\x82\xac\"\n");  // é € kept
}

TEST_CASE("pretty: jq's colours by token type") {
  std::string out;
  append_pretty_json(out, R"({"k":"v","n":1,"z":null,"t":true})", jq_palette());
  CHECK(out ==
        "\x1b[1;39m{\x1b[0m\n"
        "  \x1b[34;1m\"k\"\x1b[0m\x1b[1;39m:\x1b[0m \x1b[0;32m\"v\"\x1b[0m\x1b[1;39m,\x1b[0m\n"
        "  \x1b[34;1m\"n\"\x1b[0m\x1b[1;39m:\x1b[0m \x1b[0;39m1\x1b[0m\x1b[1;39m,\x1b[0m\n"
        "  \x1b[34;1m\"z\"\x1b[0m\x1b[1;39m:\x1b[0m \x1b[0;90mnull\x1b[0m\x1b[1;39m,\x1b[0m\n"
        "  \x1b[34;1m\"t\"\x1b[0m\x1b[1;39m:\x1b[0m \x1b[0;39mtrue\x1b[0m\n"
        "\x1b[1;39m}\x1b[0m\n");
}

TEST_CASE("pretty: a header line, time to the millisecond, channel, the pattern when it differs") {
  const std::string via = pretty_record(R"([{"channel":"/chat/a","data":{"x":1}}])", false);
  REQUIRE(via.size() > 13);
  CHECK(via[2] == ':');
  CHECK(via[5] == ':');
  CHECK(via[8] == '.');
  CHECK(via.substr(12) == " /chat/a via /chat/**\n{\n  \"x\": 1\n}\n");
  const std::string exact = pretty_record(R"([{"channel":"/exact","data":"hi"}])", false);
  CHECK(exact.substr(12) == " /exact\n\"hi\"\n");
  // a message without data (a meta reply, with --meta): the message whole
  const std::string meta =
      pretty_record(R"([{"channel":"/meta/connect","successful":true}])", false);
  CHECK(meta.substr(12) == " /meta/connect\n{\n  \"channel\": \"/meta/connect\",\n"
                           "  \"successful\": true\n}\n");
  CHECK(pretty_record(R"([{"channel":"/chat/a","data":1}])", false).find('\x1b') ==
        std::string::npos);
  CHECK(pretty_record(R"([{"channel":"/chat/a","data":1}])", true).find("\x1b[") !=
        std::string::npos);
}

TEST_SUITE_END();
