#include <doctest/doctest.h>

#include "bayeux/message.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("message");

TEST_CASE("parses the CometD Node transcript") {
  BatchParser parser;
  std::string body =
      R"([{"id":"1","channel":"/meta/handshake","successful":true,"clientId":"4c07","version":"1.0","supportedConnectionTypes":["long-polling"],"advice":{"reconnect":"retry","timeout":30000,"interval":0}}])";
  REQUIRE(parser.parse(body));
  REQUIRE(parser.messages().size() == 1);
  const auto& m = parser.messages()[0];
  CHECK(m.channel == "/meta/handshake");
  CHECK(m.id == "1");
  CHECK(m.client_id == "4c07");
  REQUIRE(m.successful);
  CHECK(*m.successful);
  CHECK(m.supported_connection_types == R"(["long-polling"])");
  CHECK(m.advice.present);
  CHECK(m.advice.reconnect == Reconnect::retry);
  CHECK(m.advice.timeout_ms == 30000);
  CHECK(m.advice.interval_ms == 0);
  CHECK(m.raw == body.substr(1, body.size() - 2));
}

TEST_CASE("deliveries and replies in one batch, in order (CometD Node)") {
  BatchParser parser;
  std::string body =
      R"([{"channel":"/chat/room","data":{"text":"hello","n":1}},{"id":"4","channel":"/chat/room","successful":true}])";
  REQUIRE(parser.parse(body));
  REQUIRE(parser.messages().size() == 2);
  CHECK(parser.messages()[0].data == R"({"text":"hello","n":1})");
  CHECK_FALSE(parser.messages()[0].is_reply());
  CHECK(parser.messages()[1].is_reply());
  CHECK_FALSE(parser.messages()[1].has_data());
}

TEST_CASE("data is kept byte for byte: numbers, escapes, key order, big integers") {
  BatchParser parser;
  std::string body =
      "[ {\"channel\":\"/a\", \"data\": {\"z\":1.0,\"a\":\"\\u00e9\",\"big\":123456789012345678901234567890,\"e\":1E+2} } ]";
  REQUIRE(parser.parse(body));
  const auto& m = parser.messages()[0];
  CHECK(m.data == R"({"z":1.0,"a":"\u00e9","big":123456789012345678901234567890,"e":1E+2})");
  CHECK(m.raw.front() == '{');
  CHECK(m.raw.back() == '}');
}

TEST_CASE("scalar data of every type") {
  BatchParser parser;
  std::string body =
      R"([{"channel":"/a","data":"s"},{"channel":"/a","data":false},{"channel":"/a","data":null},{"channel":"/a","data":-1.5e3},{"channel":"/a","data":[1, 2]}])";
  REQUIRE(parser.parse(body));
  REQUIRE(parser.messages().size() == 5);
  CHECK(parser.messages()[0].data == R"("s")");
  CHECK(parser.messages()[1].data == "false");
  CHECK(parser.messages()[2].data == "null");
  CHECK(parser.messages()[3].data == "-1.5e3");
  CHECK(parser.messages()[4].data == "[1, 2]");
}

TEST_CASE("a numeric id (Salesforce) is kept as its text") {
  BatchParser parser;
  std::string body =
      R"([{"clientId":"1q1","advice":{"reconnect":"none","interval":0},"channel":"/meta/connect","id":7,"error":"401::Authentication invalid","successful":false}])";
  REQUIRE(parser.parse(body));
  const auto& m = parser.messages()[0];
  CHECK(m.id == "7");
  CHECK(m.error == "401::Authentication invalid");
  CHECK(m.advice.reconnect == Reconnect::none);
}

TEST_CASE("per-transport advice and multiple-clients") {
  BatchParser parser;
  std::string body =
      R"([{"channel":"/meta/connect","successful":true,"advice":{"multiple-clients":true,"interval":2000,"long-polling":{"interval":5},"websocket":{"timeout":1}}}])";
  REQUIRE(parser.parse(body));
  const auto& m = parser.messages()[0];
  CHECK(m.advice.multiple_clients);
  CHECK(m.advice.interval_ms == 2000);
  CHECK(m.advice_long_polling.interval_ms == 5);
  CHECK(m.advice_websocket.timeout_ms == 1);
}

TEST_CASE("what is not Bayeux") {
  struct Row {
    const char* body;
    const char* error;
  };
  const Row rows[] = {
      {"", "invalid JSON"},
      {"<html>", "invalid JSON"},
      {R"([{"channel":"/a"})", "invalid JSON"},
      {"[{\"channel\":\"/a\",\"data\":\"\xff\"}]", "invalid JSON"},  // invalid UTF-8
      {R"({"channel":"/a"})", "not a JSON array of messages"},
      {"[1]", "an element of the array is not a message object"},
      {R"([{"channel":"/a"},"x"])", "an element of the array is not a message object"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.body);
    BatchParser parser;
    std::string body = row.body;
    CHECK_FALSE(parser.parse(body));
    CHECK(parser.error().find(row.error) == 0);
    CHECK(parser.messages().empty());
  }
}

TEST_CASE("a message with wrong field types is marked, the batch survives") {
  BatchParser parser;
  std::string body = R"([{"data":1},{"channel":5},{"channel":"/a","successful":"yes"},{"channel":"/b"}])";
  REQUIRE(parser.parse(body));
  REQUIRE(parser.messages().size() == 4);
  CHECK(parser.messages()[0].problem == "message without \"channel\"");
  CHECK(parser.messages()[1].problem == "\"channel\" is not a string");
  CHECK(parser.messages()[2].problem == "\"successful\" is not a boolean");
  CHECK(parser.messages()[3].problem.empty());
}

TEST_CASE("an empty array is a valid batch") {
  BatchParser parser;
  std::string body = "[]";
  CHECK(parser.parse(body));
  CHECK(parser.messages().empty());
}

TEST_CASE("the parser is reusable and the body keeps its content") {
  BatchParser parser;
  for (int i = 0; i < 3; ++i) {
    std::string body = R"([{"channel":"/a","data":)" + std::to_string(i) + "}]";
    const std::string copy = body;
    REQUIRE(parser.parse(body));
    CHECK(body == copy);
    CHECK(parser.messages()[0].data == std::to_string(i));
  }
}

TEST_CASE("string lists and raw fields") {
  CHECK(parse_string_list(R"(["a","b"])") == std::vector<std::string>{"a", "b"});
  CHECK(parse_string_list(R"("/x")") == std::vector<std::string>{"/x"});
  CHECK(parse_string_list("").empty());
  CHECK(parse_string_list("5").empty());
  CHECK(find_raw_field(R"({"replay":true,"ack":{"batch":7}})", "ack") == R"({"batch":7})");
  CHECK(find_raw_field(R"({"replay":true})", "ack").empty());
}

TEST_CASE("excerpts for error messages") {
  CHECK(excerpt("abc") == "abc");
  CHECK(excerpt("a\nb") == "a\\x0ab");
  CHECK(excerpt(std::string(300, 'x'), 200) == std::string(200, 'x') + "...");
}

TEST_CASE("escaped strings in the fields the session reads are unescaped") {
  BatchParser parser;
  // Some servers escape '/', keys may be escaped too, \u escapes include surrogate pairs.
  std::string body =
      R"([{"channel":"\/meta\/connect","\u0069d":"a\"b","clientId":"\u00e9\ud83d\ude00","error":"402::\tx","successful":true}])";
  REQUIRE(parser.parse(body));
  const auto& m = parser.messages()[0];
  CHECK(m.channel == "/meta/connect");
  CHECK(m.id == "a\"b");
  CHECK(m.client_id == "\xc3\xa9\xf0\x9f\x98\x80");
  CHECK(m.error == "402::\tx");
  CHECK(m.raw == body.substr(1, body.size() - 2));  // the raw text keeps its escapes
  std::string lone = R"([{"channel":"/a\ud800"}])";
  REQUIRE(parser.parse(lone));
  CHECK(parser.messages()[0].channel == "/a\xef\xbf\xbd");  // U+FFFD
}

TEST_CASE("compact: set only when a message has no whitespace outside its strings") {
  BatchParser parser;
  std::string body = R"([ {"channel":"/a","data":"x y"} , {"channel":"/a","data": 1},{"channel":"/a","data":{"k":[1,2]}}])";
  REQUIRE(parser.parse(body));
  REQUIRE(parser.messages().size() == 3);
  CHECK(parser.messages()[0].compact);  // the spaces around it and inside the string do not count
  CHECK_FALSE(parser.messages()[1].compact);
  CHECK(parser.messages()[2].compact);
}

TEST_CASE("the whole reply is validated, not only the fields the session reads") {
  const char* invalid[] = {
      R"([{"channel":"/a","data":{"k":01}}])",       // leading zero
      R"([{"channel":"/a","data":1.}])",              // no fraction digits
      R"([{"channel":"/a","data":-}])",
      R"([{"channel":"/a","data":1e}])",
      R"([{"channel":"/a","other":[1,]}])",           // trailing comma
      R"([{"channel":"/a","other":{"k" 1}}])",
      R"([{"channel":"/a","other":"\x"}])",           // bad escape
      R"([{"channel":"/a","other":"\u12G4"}])",
      "[{\"channel\":\"/a\",\"other\":\"tab\there\"}]",  // raw control character
      R"([{"channel":"/a","other":tru}])",
      R"([{"channel":"/a"}] x)",                      // content after the value
      R"([{"channel":"/a"},])",
      R"([{"channel":"/a"} {"channel":"/b"}])",
      R"([{"channel":"/a","data":"unterminated}])",
      R"([1, {"channel":"/a",}])",  // a shape error first, invalid JSON later: invalid wins
  };
  for (const char* text : invalid) {
    CAPTURE(text);
    BatchParser parser;
    std::string body = text;
    CHECK_FALSE(parser.parse(body));
    CHECK(parser.error().rfind("invalid JSON", 0) == 0);
  }
  std::string deep = R"([{"channel":"/a","data":)" + std::string(2000, '[') + std::string(2000, ']') + "}]";
  BatchParser parser;
  CHECK_FALSE(parser.parse(deep));
  CHECK(parser.error().find("nested too deeply") != std::string::npos);
  std::string fine = R"([{"channel":"/a","data":)" + std::string(500, '[') + std::string(500, ']') + "}]";
  CHECK(parser.parse(fine));
}

TEST_CASE("advice numbers: integers, doubles, out of range, and the wrong types") {
  BatchParser parser;
  std::string body =
      R"([{"channel":"/meta/connect","advice":{"interval":2000.7,"timeout":1e300,"maxInterval":"x","reconnect":1}}])";
  REQUIRE(parser.parse(body));
  const auto& a = parser.messages()[0].advice;
  CHECK(a.interval_ms == 2000);
  CHECK(a.timeout_ms == 9000000000000000);
  CHECK_FALSE(a.max_interval_ms);
  CHECK_FALSE(a.reconnect);

  // Too close to zero is zero, not the largest value (a 285,000-year interval) or, negative,
  // the smallest (which reads as "reconnect: none").
  body = R"([{"channel":"/meta/connect","advice":{"interval":1e-400,"timeout":-1e-400,"maxInterval":-1e400}}])";
  REQUIRE(parser.parse(body));
  const auto& tiny = parser.messages()[0].advice;
  CHECK(tiny.interval_ms == 0);
  CHECK(tiny.timeout_ms == 0);
  CHECK(tiny.max_interval_ms == -9000000000000000);
}

TEST_CASE("streaming: messages are handed over as parsed, and a later fault keeps them") {
  BatchParser parser;
  std::vector<std::string> seen;
  auto collect = [&seen](const MessageView& m) {
    seen.emplace_back(m.data);
    return true;
  };
  CHECK_FALSE(parser.parse(R"([{"channel":"/a","data":1},{"channel":"/a","data":2},{"chan)", collect));
  CHECK(seen == std::vector<std::string>{"1", "2"});
  CHECK(parser.error().rfind("invalid JSON", 0) == 0);
  // The collecting form hands out nothing from a faulty text.
  CHECK_FALSE(parser.parse(R"([{"channel":"/a","data":1},{"chan)"));
  CHECK(parser.messages().empty());
  // The callback stops the parse: a success, the rest is not read.
  seen.clear();
  CHECK(parser.parse(R"([{"channel":"/a","data":1},{"channel":"/a","data":2}, garbage)",
                     [&seen](const MessageView& m) {
                       seen.emplace_back(m.data);
                       return false;
                     }));
  CHECK(seen == std::vector<std::string>{"1"});
}

TEST_SUITE_END();
