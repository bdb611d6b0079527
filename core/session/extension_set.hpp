// The session's extensions in their order (INTERFACE.md): built-ins act on messages, plugins
// and the auth source on whole batches and headers. One place asks them all.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bayeux/message.hpp"
#include "session/hooks.hpp"
#include "session/transport.hpp"

namespace cometd {

class ExtensionSet {
 public:
  /// `base`: the headers of every request and upgrade (-H, --bearer, User-Agent).
  explicit ExtensionSet(Headers base) : base_(std::move(base)) {}

  /// Built-ins in --ext order and the batch hooks (plugins, auth) or null; they outlive this.
  void use(std::vector<MessageExtension*> builtins, BatchHooks* hooks);

  bool has_builtins() const { return !builtins_.empty(); }
  /// A plugin is loaded: batches go through outgoing()/incoming().
  bool has_payload_hooks() const { return hooks_ != nullptr && hooks_->has_payload_hooks(); }
  BatchHooks* hooks() const { return hooks_; }

  /// The `ext` object of an outgoing message: the `base` members (raw JSON, no braces) and
  /// what the built-ins add; empty when nothing is.
  std::string ext(const OutgoingMessage& message, std::string_view base = {});
  /// The handshake's `ext`: --handshake-ext, the auth source's members, the built-ins'.
  std::string handshake_ext(std::string_view handshake_ext_option);

  /// The headers of the next request: ours, the auth source's replacing those of the same name.
  Headers headers() const;

  void incoming(const MessageView& message);
  bool ready_for_connect() const;
  void output_drained();
  /// A built-in handles a refused subscription (and subscribes again).
  bool retry_subscription(std::string_view channel, std::string_view error);
  /// What the built-ins have to say about a subscription refused for good.
  std::string explain_failure(std::string_view channel, std::string_view error);

 private:
  Headers base_;
  std::vector<MessageExtension*> builtins_;
  BatchHooks* hooks_ = nullptr;
  std::string members_;  // reused
};

}  // namespace cometd
