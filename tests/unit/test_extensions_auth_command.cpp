#include <doctest/doctest.h>

#include "auth_command.hpp"

using namespace cometd;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("auth_command");

TEST_CASE("a helper's output: a token line, or {headers, ext}") {
  Credentials c;
  std::string error;
  REQUIRE(parse_credentials("tok-123\n", c, error));
  REQUIRE(c.headers.size() == 1);
  CHECK(c.headers[0].first == "Authorization");
  CHECK(c.headers[0].second == "Bearer tok-123");
  REQUIRE(parse_credentials(R"({"headers":{"X-Token":"a"},"ext":{"auth":{"token":"b"}}})", c, error));
  CHECK(c.headers[0].first == "X-Token");
  CHECK(c.ext == R"("auth":{"token":"b"})");
  REQUIRE(parse_credentials(R"({"ext":{"k":1}})", c, error));
  CHECK(c.headers.empty());
  CHECK_FALSE(parse_credentials("", c, error));
  CHECK_FALSE(parse_credentials("two words\n", c, error));
  CHECK_FALSE(parse_credentials("{not json", c, error));
  CHECK_FALSE(parse_credentials(R"({"other":1})", c, error));
  CHECK_FALSE(parse_credentials(R"({"headers":{"X":"a\nb"}})", c, error));
}

TEST_CASE("running a helper: output, exit status, time limit") {
  Credentials c;
  std::string error;
  REQUIRE(run_auth_command("printf 'tok\\n'", 5s, c, error));
  CHECK(c.headers[0].second == "Bearer tok");
  CHECK_FALSE(run_auth_command("echo tok; exit 3", 5s, c, error));
  CHECK(error == "it exited with status 3");
  const auto started = std::chrono::steady_clock::now();
  CHECK_FALSE(run_auth_command("sleep 5; echo late", 300ms, c, error));
  CHECK(error == "it did not finish within 300 ms");
  CHECK(std::chrono::steady_clock::now() - started < 3s);
}

TEST_SUITE_END();
