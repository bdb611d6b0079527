// libFuzzer target: bytes as one stdin line of `publish` → PublishLineParser, in its three
// forms (requests, data lines, --raw text lines).
// Asserts that what it accepts builds valid JSON again and that every rejection has a reason.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bayeux/channel.hpp"
#include "bayeux/json_check.hpp"
#include "bayeux/json_out.hpp"
#include "io/publish_line.hpp"

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

void check_request(const cometd::PublishRequest& request) {
  std::string error;
  check(!cometd::channel_error(request.channel));
  check(!cometd::is_wildcard_channel(request.channel));
  check(!cometd::is_meta_channel(request.channel));
  check(cometd::validate_json_text(request.data, error));
  check(!cometd::has_json_whitespace(request.data) || request.data.find('"') != std::string::npos);
  // The message the session would put on the wire parses again.
  std::string message = "{\"id\":";
  cometd::append_json_string(message, request.id.empty() ? std::string("1") : request.id);
  message += ",\"channel\":";
  cometd::append_json_string(message, request.channel);
  message += ",\"data\":";
  message += request.data;
  if (!request.ext.empty()) {
    message += ",\"ext\":";
    message += request.ext;
  }
  message += "}";
  check(cometd::validate_json_text(message, error));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static cometd::PublishLineParser requests;
  static cometd::PublishLineParser data_lines("/fuzz/channel");
  static cometd::PublishLineParser text_lines("/fuzz/channel", true);
  const std::string_view line(reinterpret_cast<const char*>(data), size);
  for (cometd::PublishLineParser* parser : {&requests, &data_lines, &text_lines}) {
    cometd::PublishRequest request;
    std::string reason;
    if (parser->parse(line, request, reason)) {
      check(reason.empty());
      check_request(request);
    } else {
      check(!reason.empty());
    }
  }
  return 0;
}
