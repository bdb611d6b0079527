#include <doctest/doctest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/logging.hpp"
#include "redact.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("logging");

namespace {

/// What the installed logger writes to stderr while `fn` runs.
template <typename Fn>
std::string stderr_of(int verbosity, Fn fn) {
  char path[] = "/tmp/cometd-cli-stderr-XXXXXX";
  const int file = ::mkstemp(path);
  REQUIRE(file >= 0);
  std::fflush(stderr);
  const int saved = ::dup(STDERR_FILENO);
  ::dup2(file, STDERR_FILENO);
  setup_logging(verbosity);
  fn();
  std::fflush(stderr);
  ::dup2(saved, STDERR_FILENO);
  ::close(saved);
  ::close(file);
  setup_logging(0);
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  ::unlink(path);
  return s.str();
}

}  // namespace

TEST_CASE("printable: control bytes, C1 controls, bidi overrides and invalid UTF-8 escaped") {
  CHECK(printable("plain text: /a/** 100%") == "plain text: /a/** 100%");
  CHECK(printable("\x1b]0;owned\x07\x1b[2K\rforged\nline\t!") ==
        "\\x1b]0;owned\\x07\\x1b[2K\\x0dforged\\x0aline\\x09!");
  CHECK(printable(std::string("nul\0byte", 8)) == "nul\\x00byte");
  CHECK(printable("del\x7f") == "del\\x7f");
  CHECK(printable("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80") ==
        "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  CHECK(printable("csi\xc2\x9b"
                  "31m") == "csi\\u009b31m");  // U+009B, 8-bit CSI
  CHECK(printable("rtl\xe2\x80\xae"
                  "txt") == "rtl\\u202etxt");                                       // U+202E
  CHECK(printable("bad\xff\xc3(\xed\xa0\x80") == "bad\\xff\\xc3(\\xed\\xa0\\x80");  // not UTF-8
  CHECK(printable("truncated\xe2\x82") == "truncated\\xe2\\x82");
  CHECK(printable("already \\x1b text") == "already \\x1b text");
}

TEST_CASE("every logged message is escaped and redacted, whatever its source") {
  const std::string server_error = "403::\x1b]0;owned\x07\x1b[2K\rcometd-cli: subscribed OK";
  const std::string err = stderr_of(3, [&] {
    spdlog::error("subscribe {}: {}", "/a", server_error);
    spdlog::debug("< {}", R"([{"channel":"/a","data":{"jwt":"s3cret","n":1}}])");
    spdlog::trace("POST {} (2 bytes)", "http://h/cometd?access_token=s3cret&x=1");
  });
  // From -v up, HH:MM:SS.mmm first: the time is checked, then cut off.
  std::istringstream lines(err);
  std::string stripped;
  for (std::string line; std::getline(lines, line);) {
    REQUIRE(line.size() > 13);
    CHECK(line.find_first_not_of("0123456789") == 2);
    CHECK(line.substr(2, 1) == ":");
    CHECK(line.substr(5, 1) == ":");
    CHECK(line.substr(8, 1) == ".");
    CHECK(line.find_first_not_of("0123456789", 9) == 12);
    stripped += line.substr(13) + "\n";
  }
  CHECK(stripped ==
        "cometd-cli: subscribe /a: 403::\\x1b]0;owned\\x07\\x1b[2K\\x0dcometd-cli: subscribed OK\n"
        "cometd-cli: debug: < [{\"channel\":\"/a\",\"data\":{\"jwt\":\"[redacted]\",\"n\":1}}]\n"
        "cometd-cli: trace: POST http://h/cometd?access_token=[redacted]&x=1 (2 bytes)\n");
  CHECK(stderr_of(0, [] { spdlog::warn("w"); }) == "cometd-cli: warning: w\n");  // no time
  CHECK(stderr_of(1, [] { spdlog::info("i"); }).substr(12) == " cometd-cli: i\n");
  CHECK(stderr_of(-1, [] { spdlog::warn("w"); }).empty());
}

TEST_CASE("free text: JSON members and URL parameters") {
  CHECK(
      redact_text("reply is not Bayeux: {\"token\":\"abc\",\"x\":1} from http://h/?key=k&a=b") ==
      "reply is not Bayeux: {\"token\":\"[redacted]\",\"x\":1} from http://h/?key=[redacted]&a=b");
  CHECK(redact_text("The replayId {42} you provided was invalid") ==
        "The replayId {42} you provided was invalid");
  CHECK(redact_text("handshake done (clientId 70f9e6b6)") == "handshake done (clientId 70f9e6b6)");
}

TEST_CASE("a malformed -H argument: its name, never its value") {
  CHECK(redact_header_argument("Authorization Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig") ==
        "Authorization …");
  CHECK(redact_header_argument("X-Api-Key=abc") == "X-Api-Key …");
  CHECK(redact_header_argument("eyJhbGciOiJIUzI1NiJ9.e30.sig") == "…");  // maybe the token itself
  CHECK(redact_header_argument(": v") == "…");
  CHECK(redact_header_argument(std::string(100, 'a') + " b") == "…");
}

TEST_SUITE_END();
