// Extension seams of the session: built-in extensions work on messages (before they are
// serialised, after they are parsed); plugins and the auth extension see whole batches, as the
// seed's Extension.outgoing/incoming(payload, headers) and AuthExtension.authenticate() do.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "bayeux/message.hpp"
#include "session/transport.hpp"

namespace cometd {

/// What an outgoing message is, for a built-in extension deciding on its `ext` members.
struct OutgoingMessage {
  std::string_view channel;       ///< /meta/handshake, /meta/connect, /chat/a…
  std::string_view subscription;  ///< /meta/subscribe and /meta/unsubscribe: the channel
};

/// A built-in extension (ack, replay, timesync). Every call happens on the io thread.
class MessageExtension {
 public:
  virtual ~MessageExtension() = default;
  virtual std::string_view name() const = 0;
  /// Appends JSON members ("key":value, comma-separated, no braces) to the outgoing message's
  /// `ext`; appends nothing to leave it alone.
  virtual void outgoing(const OutgoingMessage& message, std::string& ext_members) = 0;
  /// Sees every received message, meta ones included, in order.
  virtual void incoming(const MessageView& message) = 0;
  /// A subscription was refused with `error`. True when the extension handles it (and the
  /// channel is subscribed again): the session then neither reports nor drops it.
  virtual bool retry_subscription(std::string_view /*subscription*/, std::string_view /*error*/) {
    return false;
  }
  /// Text to append to the report of a subscription refused for good (what to do about it).
  virtual std::string explain_failure(std::string_view /*subscription*/,
                                      std::string_view /*error*/) {
    return {};
  }
  /// Whether the next /meta/connect may be sent now (ack: not before the lines of the batch
  /// it acknowledges are written).
  virtual bool ready_for_connect() const { return true; }
  /// Everything received so far is on stdout.
  virtual void output_drained() {}
};

/// Batch-level hooks: plugins in command-line order, then the auth extension, outgoing; the
/// reverse incoming. Every call happens on the io thread.
class BatchHooks {
 public:
  virtual ~BatchHooks() = default;
  /// Whether payload hooks run at all (a plugin is loaded): otherwise the session skips the
  /// outgoing/incoming calls on its hot path.
  virtual bool has_payload_hooks() const = 0;
  /// May rewrite the JSON array `payload` and the HTTP `headers`. False: drop the batch (a
  /// plugin returned invalid JSON; already reported).
  virtual bool outgoing(std::string& payload, Headers& headers) = 0;
  /// May rewrite a received JSON array. False: drop it.
  virtual bool incoming(std::string& payload) = 0;

  /// An auth source exists (--auth-command or a plugin with authenticate()).
  virtual bool can_authenticate() const = 0;
  /// Refreshes credentials after an authentication failure; `done` runs on the io thread,
  /// with false and a reason when the source failed.
  virtual void authenticate(std::function<void(bool ok, std::string error)> done) = 0;
  /// Headers the auth source provides, added to every request and WebSocket upgrade.
  virtual Headers auth_headers() const = 0;
  /// JSON members ("key":value…) the auth source merges into the handshake's `ext`.
  virtual std::string auth_ext() const = 0;
};

}  // namespace cometd
