#include <doctest/doctest.h>

#include "bayeux/json_out.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("json");

TEST_CASE("strings are escaped as JSON requires, UTF-8 passes through") {
  auto quoted = [](std::string_view s) {
    std::string out;
    append_json_string(out, s);
    return out;
  };
  CHECK(quoted("plain") == R"("plain")");
  CHECK(quoted("a\"b\\c") == R"("a\"b\\c")");
  CHECK(quoted("line\nfeed\ttab\r") == R"("line\nfeed\ttab\r")");
  // codepoints between 0 and 0x1f without a short form
  CHECK(quoted(std::string("\x01\x1f", 2)) == R"("\u0001\u001f")");
  CHECK(quoted("é€") == "\"é€\"");
  CHECK(quoted("") == R"("")");
}

TEST_CASE("minify drops whitespace outside strings only") {
  auto minified = [](std::string_view s) {
    std::string out;
    append_minified(out, s);
    return out;
  };
  CHECK(minified(R"({ "a" : [1, 2],  "b":"x y" })") == R"({"a":[1,2],"b":"x y"})");
  CHECK(minified("{\n\t\"a\":1.0\r\n}") == R"({"a":1.0})");
  CHECK(minified(R"({"a":"\u00e9"})") == R"({"a":"\u00e9"})");
  CHECK(minified("[]") == "[]");
  CHECK(minified(R"("text with spaces")") == R"("text with spaces")");
}

TEST_CASE("whitespace helpers") {
  CHECK(has_json_whitespace("a b"));
  CHECK_FALSE(has_json_whitespace("ab"));
  CHECK(trim_json_whitespace(" \n{}\t ") == "{}");
  CHECK(trim_json_whitespace("   ").empty());
}

TEST_SUITE_END();
