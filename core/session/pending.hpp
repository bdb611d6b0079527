// Requests awaiting their reply, matched by (channel, id) first-in-first-out.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cometd {

/// The next message id of the process: "1", "2"…, never reused, so that stdin publishes stay
/// correlated across re-handshakes (and across the sessions of `probe`).
std::string next_message_id();

/// A message to publish: what a stdin line or the command line asked for.
struct PublishRequest {
  std::string channel;
  std::string data;  ///< raw JSON, minified
  std::string id;    ///< the user's id, sent unchanged; empty: one of ours is assigned
  std::string ext;   ///< raw JSON object, or empty
  std::uint64_t ticket = 0;  ///< the caller's reference (the stdin line number)
  unsigned resent = 0;       ///< times resent after an unknown-session rejection
};

enum class RequestKind { handshake, connect, subscribe, publish, disconnect };

/// One message sent and not yet answered.
struct Pending {
  RequestKind kind = RequestKind::publish;
  std::string channel;       ///< the message's channel (/meta/subscribe, /chat/a…)
  std::string id;
  std::uint64_t tag = 0;     ///< the transport request that carried it
  std::string subscription;  ///< subscribe: the channel concerned
  PublishRequest publish;    ///< publish: kept to resend after an unknown-session rejection
};

class PendingReplies {
 public:
  void add(Pending pending);
  /// Removes and returns the oldest entry for (channel, id), if any.
  bool take(std::string_view channel, std::string_view id, Pending& out);
  /// Removes and returns every entry sent in request `tag` (tag 0: every entry).
  std::vector<Pending> take_tag(std::uint64_t tag);
  /// Removes and returns every entry of `kind`.
  std::vector<Pending> take_kind(RequestKind kind);
  std::size_t size() const { return size_; }

 private:
  static std::string key(std::string_view channel, std::string_view id);
  std::unordered_map<std::string, std::deque<Pending>> entries_;
  std::size_t size_ = 0;
};

}  // namespace cometd
