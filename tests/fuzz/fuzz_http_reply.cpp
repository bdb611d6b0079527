// libFuzzer target: bytes as an HTTP/1.1 reply from a server or a proxy → ReplyParser, with
// small limits so that every limit is reached. The first byte picks the mode (a reply to a
// request, or to CONNECT) and the sizes of the reads the input is cut into, as the transport
// feeds them (what a feed leaves is fed again with the next read). Asserts that a feed never
// uses more than it was given; that the parse does not depend on how the bytes were cut (one
// read or many: the same state, status, headers and body); that a complete reply keeps within
// every limit; and that the error line made of it stays one line.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http_reply_parser.hpp"

namespace {

// Names the broken property, so that a crash says which.
#define check(condition)                                                               \
  do {                                                                                 \
    if (!(condition)) {                                                                \
      std::fprintf(stderr, "fuzz_http_reply: %s (line %d)\n", #condition, __LINE__); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (false)

struct Outcome {
  cometd::ReplyParser::State state;
  cometd::HttpReply reply;
};

Outcome parse(std::string_view input, bool head_only, std::size_t step,
              const cometd::HttpLimits& limits) {
  cometd::ReplyParser parser(limits, head_only);
  std::string in;
  std::size_t at = 0;
  bool more = true;
  while (more && parser.state() != cometd::ReplyParser::State::done &&
         parser.state() != cometd::ReplyParser::State::failed) {
    if (at < input.size()) {
      const std::size_t n = step == 0 ? input.size() - at : std::min(step, input.size() - at);
      in.append(input.substr(at, n));
      at += n;
    } else {
      more = false;
    }
    const std::size_t used = parser.feed(in);
    check(used <= in.size());
    in.erase(0, used);
    if (!more && parser.state() == cometd::ReplyParser::State::body) {
      parser.finish_at_eof();
    }
  }
  return {parser.state(), parser.reply()};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const bool head_only = (data[0] & 0x80) != 0;
  const std::size_t step = 1 + (data[0] & 0x1f);
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  cometd::HttpLimits limits;
  limits.max_body = 2048;
  limits.max_header_count = 8;
  limits.max_header_bytes = 512;

  const Outcome whole = parse(input, head_only, 0, limits);
  const Outcome cut = parse(input, head_only, step, limits);
  check(whole.state == cut.state);
  if (whole.state == cometd::ReplyParser::State::done) {
    check(whole.reply.status == cut.reply.status);
    check(whole.reply.reason == cut.reply.reason);
    check(whole.reply.headers == cut.reply.headers);
    check(whole.reply.body == cut.reply.body);
    check(whole.reply.status >= 100 && whole.reply.status <= 999);
    check(whole.reply.body.size() <= limits.max_body);
    check(whole.reply.headers.size() <= limits.max_header_count);
    check(!head_only || whole.reply.body.empty());
    const std::string line =
        cometd::http_status_text(whole.reply.status, whole.reply.reason, whole.reply.body);
    for (const char c : line) {
      check(static_cast<unsigned char>(c) >= 0x20);
    }
  }
  return 0;
}
