#include <doctest/doctest.h>

#include "io/json_diagnosis.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("json_diagnosis");

TEST_CASE("what is wrong with a line, in our words, with its column") {
  struct Row {
    const char* text;
    const char* reason;
  };
  const Row rows[] = {
      {R"({"a":1})", ""},
      {R"( [1, "x", {"b": null}, true, -0.5e+3] )", ""},
      {"123456789012345678901234567890", ""},
      {"hello world", "'hello' is not a JSON value (column 1)"},
      {R"({"a":1,})", "a comma before '}' at column 8"},
      {"[1,2,]", "a comma before ']' at column 6"},
      {R"({"a" 1})", "expected ':' after the key, found '1' at column 6"},
      {R"({a:1})", "expected a key in double quotes, found 'a' at column 2"},
      {R"({"a":1 "b":2})", "expected ',' or '}' after a value, found '\"' at column 8"},
      {"[1 2]", "expected ',' or ']' after a value, found '2' at column 4"},
      {R"({"a":[1,2)", "the line ends before the '[' of column 6 is closed"},
      {R"({"a":1)", "the line ends before the '{' of column 1 is closed"},
      {R"("open)", "a string that is never closed, from column 1"},
      {"\"tab\there\"", "a control character inside a string at column 5 (escape it, as \\n or \\t)"},
      {R"("\q")", R"(an unknown escape '\q' in a string at column 2)"},
      {R"("\u12")", R"(a \u escape without four hex digits at column 2)"},
      {"01", "a number with a leading zero at column 1"},
      {"-x", "a '-' without digits at column 2"},
      {"1.", "a number without digits after its '.' at column 3"},
      {"1e", "a number without digits in its exponent at column 3"},
      {"true false", "more after the JSON value ended, at column 6"},
      {"nul", "'nul' is not a JSON value (column 1)"},
      {"[,]", "expected a value, found ',' at column 2"},
      {"", "no JSON value"},
      {"  ", "no JSON value"},
      {"\"\xc3\xa9\" x", "more after the JSON value ended, at column 5"},
      {"\"\xff\"", "a byte that is not UTF-8 at column 2"},
      {"\"\xc0\xaf\"", "a byte that is not UTF-8 at column 2"},  // overlong
      {"\"\xed\xa0\x80\"", "a byte that is not UTF-8 at column 2"},  // a surrogate
  };
  for (const auto& row : rows) {
    CAPTURE(row.text);
    CHECK(describe_json_error(row.text) == row.reason);
  }
  CHECK(describe_json_error(std::string(2000, '[')).find("nested more than 1024 levels deep") == 0);
}

TEST_CASE("plain text is told from broken JSON") {
  CHECK(looks_like_text("hello"));
  CHECK(looks_like_text("  42abc"));
  CHECK_FALSE(looks_like_text(R"({"a":1,})"));
  CHECK_FALSE(looks_like_text("[1,"));
  CHECK_FALSE(looks_like_text("\"open"));
  CHECK_FALSE(looks_like_text(""));
}

TEST_SUITE_END();
