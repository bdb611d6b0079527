// An HTTP/1.1 response parser with hard limits: headers by count and bytes, the body by
// --max-message-size, chunk sizes by the same. No decompression (we never ask for it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http_client.hpp"

namespace cometd {

/// "64 MiB", "1 GiB", "512 KiB", "100 bytes": a limit as the user would write it.
std::string size_text(std::size_t bytes);

class ReplyParser {
 public:
  enum class State { head, body, done, failed };

  /// `head_only`: the reply to CONNECT, whose body is the tunnel.
  ReplyParser(const HttpLimits& limits, bool head_only);

  /// Consumes what it can from the front of `data`; returns how many bytes it used.
  std::size_t feed(std::string_view data);
  /// At EOF: true when the reply is complete (a body that ends with the connection).
  bool finish_at_eof();

  State state() const { return state_; }
  bool started() const { return started_; }
  /// Failed because a limit was reached (else: not HTTP).
  bool oversized() const { return oversized_; }
  /// Why it failed, e.g. "is over the 64 MiB limit (--max-message-size)".
  const std::string& error() const { return error_; }
  bool keep_alive() const { return keep_alive_; }
  const HttpReply& reply() const { return reply_; }
  HttpReply take_reply() {
    trim();
    return std::move(reply_);
  }

 private:
  enum class Body { none, length, chunked, until_eof };
  enum class Chunk { size, data, data_end, trailer };

  bool fail(std::string why, bool limit);
  bool head_line(std::string_view line);
  bool end_of_head();
  bool append_body(std::string_view bytes);
  /// Appends what `data` holds from `used` of the left_ bytes still due (Content-Length or
  /// the chunk); false when that breaks the body's limit.
  bool take_counted(std::string_view data, std::size_t& used);
  void trim();  // gives back the room reserved for a body of unknown length

  HttpLimits limits_;
  bool head_only_;
  State state_ = State::head;
  bool started_ = false;
  bool oversized_ = false;
  bool keep_alive_ = true;
  bool status_seen_ = false;
  std::string error_;
  HttpReply reply_;
  std::string line_;  // a line split across reads
  std::size_t head_bytes_ = 0;
  std::size_t header_count_ = 0;
  Body body_ = Body::none;
  Chunk chunk_ = Chunk::size;
  std::uint64_t left_ = 0;  // of Content-Length or of the current chunk
};

/// "HTTP 404 Not Found: <the first bytes of the body>", for an error line: the body on one
/// line (runs of white space as one space), control bytes escaped, cut at 100 bytes.
std::string http_status_text(int status, std::string_view reason, std::string_view body);

/// What a proxy's answer to CONNECT other than 2xx means, for both transports.
struct ProxyRefusal {
  bool retry = false;  ///< an outage behind the proxy (502-504), retried until --timeout
  std::string detail;  ///< "the proxy P refused CONNECT T (HTTP 403 Forbidden)"
};
ProxyRefusal proxy_refusal(std::string_view proxy, std::string_view target, int status,
                           std::string_view reason);

}  // namespace cometd
