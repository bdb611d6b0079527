#include <doctest/doctest.h>

#include "bayeux/json_check.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("json");

TEST_CASE("the fallback scanner accepts valid JSON and refuses the rest") {
  const char* valid[] = {"0", "-0.5e+10", "123456789012345678901234567890", R"("a\u00e9\n")",
                         R"({"a":[1,{"b":null}],"c":true})", " [ ] ", "{}", "\"é\""};
  for (const char* text : valid) {
    CAPTURE(text);
    std::string error;
    CHECK(validate_json_text(text, error));
  }
  const char* invalid[] = {"", "01", "1.", ".5", "-", "1e", "[1,]", R"({"a" 1})", "{\"a\":1,}",
                           "\"\\x\"", "\"\x01\"", "tru", "nul", "[1] 2", "\"unterminated",
                           "\"\xff\""};
  for (const char* text : invalid) {
    CAPTURE(text);
    std::string error;
    CHECK_FALSE(validate_json_text(text, error));
    CHECK_FALSE(error.empty());
  }
  std::string deep(2000, '[');
  deep += std::string(2000, ']');
  std::string error;
  CHECK_FALSE(validate_json_text(deep, error));
  CHECK(error == "JSON nested too deeply");
}

TEST_SUITE_END();
