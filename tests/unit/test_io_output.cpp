#include <doctest/doctest.h>

#include "bayeux/message.hpp"
#include "io/output.hpp"
#include "redact.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("output");

namespace {

std::string format(OutputFormat f, std::string body, std::uint64_t seq = 1) {
  BatchParser parser;
  REQUIRE(parser.parse(body));
  OutputFormatter formatter(f, {"/chat/*", "/chat/**"});
  std::string out;
  formatter.append(out, parser.messages()[0], seq,
                   std::chrono::system_clock::time_point(std::chrono::microseconds(1764126260123456)));
  return out;
}

}  // namespace

TEST_CASE("json: the message as received, minified, one line") {
  CHECK(format(OutputFormat::json, R"([{"channel":"/chat/a", "data":{"t":"a b"}}])") ==
        "{\"channel\":\"/chat/a\",\"data\":{\"t\":\"a b\"}}\n");
  CHECK(format(OutputFormat::json, "[{\"channel\":\"/a\",\n\"data\":1.0}]") ==
        "{\"channel\":\"/a\",\"data\":1.0}\n");
}

TEST_CASE("data: the data value alone") {
  CHECK(format(OutputFormat::data, R"([{"channel":"/a","data":[1, "x"]}])") == "[1,\"x\"]\n");
  CHECK(format(OutputFormat::data, R"([{"channel":"/a","data":false}])") == "false\n");
}

TEST_CASE("envelope: the most specific of overlapping subscriptions names the message") {
  const OutputFormatter f(OutputFormat::envelope, {"/ov/**", "/ov/*", "/ov/a", "/ov/b/**", "/x/**"});
  CHECK(f.subscription_for("/ov/a") == "/ov/a");
  CHECK(f.subscription_for("/ov/b") == "/ov/*");
  CHECK(f.subscription_for("/ov/c/d") == "/ov/**");
  CHECK(f.subscription_for("/ov/b/c") == "/ov/b/**");
  CHECK(f.subscription_for("/ov") == "");
  const OutputFormatter reversed(OutputFormat::envelope, {"/ov/a", "/ov/*", "/ov/**"});
  CHECK(reversed.subscription_for("/ov/a") == "/ov/a");
  CHECK(reversed.subscription_for("/ov/b") == "/ov/*");
}

TEST_CASE("envelope: seq, RFC 3339 UTC time with microseconds, the matching pattern") {
  CHECK(format(OutputFormat::envelope, R"([{"channel":"/chat/a","data":1}])", 7) ==
        R"({"seq":7,"ts":"2025-11-26T03:04:20.123456Z","subscription":"/chat/*","message":{"channel":"/chat/a","data":1}})"
        "\n");
  CHECK(format(OutputFormat::envelope, R"([{"channel":"/chat/a/b","data":1}])") ==
        R"({"seq":1,"ts":"2025-11-26T03:04:20.123456Z","subscription":"/chat/**","message":{"channel":"/chat/a/b","data":1}})"
        "\n");
  CHECK(format(OutputFormat::envelope, R"([{"channel":"/other","data":1}])").find(
            R"("subscription":null)") != std::string::npos);
}

TEST_CASE("redaction of secrets in logs") {
  CHECK(redact_json(R"({"ext":{"auth":{"token":"s3cret","user":"bob"}},"data":"ok"})") ==
        R"({"ext":{"auth":{"token":"[redacted]","user":"[redacted]"}},"data":"ok"})");
  CHECK(redact_json(R"({"password":"p","list":["a"],"tokens":["x","y"]})") ==
        R"({"password":"[redacted]","list":["a"],"tokens":["[redacted]","[redacted]"]})");
  CHECK(redact_json(R"([{"channel":"/a","data":{"text":"token"}}])") ==
        R"([{"channel":"/a","data":{"text":"token"}}])");
  CHECK(redact_header_value("Authorization", "Bearer x") == "[redacted]");
  CHECK(redact_header_value("Cookie", "a=b") == "a=[redacted]");
  CHECK(redact_header_value("Set-Cookie", "a=b") == "a=[redacted]");
  CHECK(redact_header_value("Content-Type", "json") == "json");
  CHECK(redact_url("https://user:pw@host/cometd") == "https://[redacted]@host/cometd");
  CHECK(redact_url("http://host/a@b") == "http://host/a@b");
}

TEST_SUITE_END();
