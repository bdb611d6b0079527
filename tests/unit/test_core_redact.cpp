#include <doctest/doctest.h>

#include "redact.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("redact");

TEST_CASE("secret headers: by rule on the normalised name, not by list") {
  for (const char* name :
       {"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Auth-Token", "X-ApiKey",
        "X-Api_Key", "X-Access-Key", "Ocp-Apim-Subscription-Key", "X-Signature", "X-Amz-Signature",
        "x-jwt-assertion", "X-Session-Id", "X-Client-Secret", "X_PASSWORD", "X-Goog-Api-Key", "Sig",
        "SID"}) {
    CAPTURE(name);
    CHECK(redact_header_value(name, "v4lue") == "[redacted]");
  }
  for (const char* name : {"Content-Type", "User-Agent", "Accept", "X-Author", "WWW-Authenticate",
                           "Proxy-Authenticate", "Host"}) {
    CAPTURE(name);
    CHECK(redact_header_value(name, "v4lue") == "v4lue");
  }
}

TEST_CASE("cookies: names and attributes shown, values redacted") {
  CHECK(redact_header_value("Set-Cookie",
                            "BAYEUX_BROWSER=abc123; Path=/; Domain=.example.com; SameSite=None; "
                            "Secure; HttpOnly; Max-Age=3600") ==
        "BAYEUX_BROWSER=[redacted]; Path=/; Domain=.example.com; SameSite=None; Secure; "
        "HttpOnly; Max-Age=3600");
  CHECK(redact_header_value("set-cookie", "sid=s3cret;expires=Fri, 31 Dec 9999 23:59:59 GMT") ==
        "sid=[redacted]; expires=Fri, 31 Dec 9999 23:59:59 GMT");
  CHECK(redact_header_value("Set-Cookie", "a=1; X-Tracking=s3cret; Partitioned") ==
        "a=[redacted]; X-Tracking=[redacted]; Partitioned");
  CHECK(redact_header_value("Cookie", "a=1; BAYEUX_BROWSER=s3cret") ==
        "a=[redacted]; BAYEUX_BROWSER=[redacted]");
  CHECK(redact_header_value("Cookie", "") == "");
}

TEST_CASE("secret JSON keys: any value type, any spelling") {
  CHECK(
      redact_json(R"({"api_key":"k1","jwt":"k2","accessKey":"k3","signature":"k4"})") ==
      R"({"api_key":"[redacted]","jwt":"[redacted]","accessKey":"[redacted]","signature":"[redacted]"})");
  // Numbers and nested values too; true/false/null hold no secret and stay.
  CHECK(
      redact_json(R"({"pin_password":123456,"token":-1.5e3,"secret":{"a":[1,"b",null]}})") ==
      R"({"pin_password":"[redacted]","token":"[redacted]","secret":{"a":["[redacted]","[redacted]",null]}})");
  CHECK(redact_json(R"({"authSuccessful":true,"sessionKey":false})") ==
        R"({"authSuccessful":true,"sessionKey":false})");
  CHECK(redact_json(R"({"ext":{"auth":{"token":"s3cret","user":"bob"}},"data":"ok"})") ==
        R"({"ext":{"auth":{"token":"[redacted]","user":"[redacted]"}},"data":"ok"})");
  // Not secrets: Bayeux's own fields, channel names as keys (the replay extension), authors.
  const std::string bayeux =
      R"([{"channel":"/meta/handshake","clientId":"abc123","successful":true,"id":"1",)"
      R"("ext":{"replay":{"/event/ApiKey__e":42,"/event/Session__e":-1}},)"
      R"("data":{"author":"bob","authority":"x","text":"token"}}])";
  CHECK(redact_json(bayeux) == bayeux);
  // Whitespace and truncated text.
  CHECK(redact_json(R"({ "token" : 42 , "x" : 1 })") == R"({ "token" : "[redacted]" , "x" : 1 })");
  CHECK(redact_json(R"({"token":"abc)") == R"({"token":"[redacted]")");
}

TEST_CASE("URLs: credentials and secret query values") {
  CHECK(redact_url("https://user:pw@host/cometd") == "https://[redacted]@host/cometd");
  CHECK(redact_url("http://host/a@b") == "http://host/a@b");
  CHECK(redact_url("https://h/cometd?access_token=s1&token=s2&x=1#jwt=s3") ==
        "https://h/cometd?access_token=[redacted]&token=[redacted]&x=1#jwt=[redacted]");
  CHECK(redact_url("http://h/cometd;jsessionid=s1?a=b") ==
        "http://h/cometd;jsessionid=[redacted]?a=b");
  CHECK(redact_url("http://h/cometd?API-KEY=s1&sig=s2") ==
        "http://h/cometd?API-KEY=[redacted]&sig=[redacted]");
  CHECK(redact_url("http://h/cometd?channel=/a&n=5") == "http://h/cometd?channel=/a&n=5");
}

TEST_SUITE_END();
