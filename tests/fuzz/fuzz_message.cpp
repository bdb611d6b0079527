// libFuzzer target: bytes as a server reply → BatchParser, then what the session does with
// each message (error strings, advice, minified output). Asserts that spans lie inside the
// input, that every accepted message is valid JSON, that minifying is idempotent, and
// (differentially) that the parser accepts exactly the texts the independent RFC 8259
// scanner validate_json_text() accepts, and that its streaming form agrees with it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "bayeux/advice.hpp"
#include "bayeux/errors.hpp"
#include "bayeux/json_check.hpp"
#include "bayeux/json_out.hpp"
#include "bayeux/message.hpp"

namespace {

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

bool inside(std::string_view span, const std::string& body) {
  return span.empty() ||
         (span.data() >= body.data() && span.data() + span.size() <= body.data() + body.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static cometd::BatchParser parser;
  static cometd::BatchParser streaming;
  std::string body(reinterpret_cast<const char*>(data), size);
  const std::string copy = body;
  std::string why;
  const bool valid = cometd::validate_json_text(body, why);
  const bool nesting = why.find("nested") != std::string::npos;  // limits counted differently
  // The streaming form (what Session uses) hands each message over as it is parsed: the same
  // messages as the collecting form when the reply is good, and only whole, valid messages
  // (those before the fault) when it is not.
  std::vector<std::string_view> streamed;
  const bool streamed_ok = streaming.parse(body, [&](const cometd::MessageView& m) {
    check(inside(m.raw, body));
    streamed.push_back(m.raw);
    return true;
  });
  std::string error;
  if (!parser.parse(body)) {
    check(!parser.error().empty());
    check(parser.messages().empty());
    const bool said_invalid = parser.error().rfind("invalid JSON", 0) == 0;
    check(nesting || parser.error().find("nested") != std::string::npos ||
          said_invalid == !valid);
    check(!streamed_ok && streaming.error() == parser.error());
    for (std::string_view raw : streamed) {
      check(raw.front() == '{' && cometd::validate_json_text(raw, error));
    }
    return 0;
  }
  check(valid || nesting);
  check(body == copy);  // parsing never changes the text it hands out views of
  check(streamed_ok && streamed.size() == parser.messages().size());
  for (std::size_t i = 0; i < streamed.size(); ++i) {
    check(streamed[i].data() == parser.messages()[i].raw.data() &&
          streamed[i].size() == parser.messages()[i].raw.size());
  }
  for (const auto& m : parser.messages()) {
    for (std::string_view span :
         {m.raw, m.data, m.ext, m.subscription, m.supported_connection_types}) {
      check(inside(span, body));
    }
    check(cometd::validate_json_text(m.raw, error));
    std::string once;
    cometd::append_minified(once, m.raw);
    std::string twice;
    cometd::append_minified(twice, once);
    check(once == twice);
    check(!m.compact || once == m.raw);  // compact means: already minified
    check(!cometd::has_json_whitespace(once) || once.find('"') != std::string::npos);
    if (!m.data.empty()) {
      check(cometd::validate_json_text(m.data, error));
    }
    (void)cometd::parse_bayeux_error(m.error);
    (void)cometd::is_unknown_session_error(m.error);
    cometd::Advice advice;
    advice.apply(m, "long-polling");
    (void)cometd::parse_string_list(m.supported_connection_types);
  }
  return 0;
}
