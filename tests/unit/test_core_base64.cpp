#include <doctest/doctest.h>

#include "base64.hpp"

using cometd::base64;

TEST_CASE("base64: the test vectors of RFC 4648 §10, and bytes above 0x7f") {
  CHECK(base64("") == "");
  CHECK(base64("f") == "Zg==");
  CHECK(base64("fo") == "Zm8=");
  CHECK(base64("foo") == "Zm9v");
  CHECK(base64("foob") == "Zm9vYg==");
  CHECK(base64("fooba") == "Zm9vYmE=");
  CHECK(base64("foobar") == "Zm9vYmFy");
  CHECK(base64("Aladdin:open sesame") == "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");  // RFC 7617
  CHECK(base64("\xff\xfe\xfd") == "//79");
}
