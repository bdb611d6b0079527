// Received Bayeux messages as views into the reply text: parsed once, never re-serialised.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bayeux/raw_json.hpp"

namespace cometd {

enum class Reconnect { retry, handshake, none };

/// The fields of one `advice` object; absent fields stay empty. Durations are milliseconds.
struct AdviceFields {
  bool present = false;
  std::optional<Reconnect> reconnect;
  std::optional<std::int64_t> interval_ms;
  std::optional<std::int64_t> timeout_ms;
  std::optional<std::int64_t> max_interval_ms;
  bool multiple_clients = false;
};

/// One message of a received batch. Every view points into the reply body or the parser's
/// string buffer and dies at the parser's next parse() call.
struct MessageView {
  std::string_view raw;           ///< the whole message object, as received
  std::string_view channel;       ///< unescaped
  std::string_view id;            ///< a string id's text, or a numeric id's token (Salesforce)
  std::string_view client_id;
  std::string_view error;         ///< "code:args:text"
  std::string_view data;          ///< raw JSON; empty when absent
  std::string_view ext;           ///< raw JSON object; empty when absent
  std::string_view subscription;  ///< raw JSON: a string or an array of strings
  std::string_view supported_connection_types;  ///< raw JSON array
  std::optional<bool> successful;
  AdviceFields advice;
  AdviceFields advice_long_polling;  ///< advice["long-polling"], overrides the top level
  AdviceFields advice_websocket;     ///< advice["websocket"]
  std::string_view problem;          ///< non-empty: malformed, skip it (the reason)
  bool compact = false;              ///< `raw` has no whitespace outside strings (minified)

  /// A reply to a request of ours: `successful` present.
  bool is_reply() const { return successful.has_value(); }
  bool has_data() const { return !data.empty(); }
};

/// Parses reply bodies and WebSocket frames. Reuse one per session: buffers are kept.
class BatchParser {
 public:
  /// Receives each message in array order; false stops the parse (it then succeeds).
  using OnMessage = std::function<bool(const MessageView& message)>;

  BatchParser();
  ~BatchParser();
  BatchParser(const BatchParser&) = delete;
  BatchParser& operator=(const BatchParser&) = delete;

  /// Streams `body`, a JSON array of message objects, validating all of it (RFC 8259, UTF-8)
  /// as it goes: each message is handed over as soon as it is parsed, so memory does not grow
  /// with the size of the batch. False when the text is not Bayeux (`error()` says why); the
  /// messages before the fault were handed over, the rest is lost. The views die when
  /// `on_message` returns.
  bool parse(std::string_view body, const OnMessage& on_message);

  /// Parses all of `body` first; on success `messages()` holds the messages (the views live
  /// until the next parse), otherwise none.
  bool parse(std::string_view body);

  const std::vector<MessageView>& messages() const { return messages_; }
  const std::string& error() const { return error_; }

 private:
  class Scanner;
  char* unescape_buffer(std::size_t size);

  std::unique_ptr<char[]> unescaped_;  // unescaped strings the views point into
  std::size_t unescaped_size_ = 0;
  std::vector<MessageView> messages_;
  std::string error_;
};

}  // namespace cometd
