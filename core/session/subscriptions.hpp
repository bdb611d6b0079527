// The channels the run subscribes to, where each stands — wanted (to be sent), sent, active,
// or denied for good — and what a subscribe reply means for them (PROTOCOL.md §4, §10). A new
// session wants every channel that was not denied.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "bayeux/message.hpp"
#include "session/extension_set.hpp"
#include "session/pending.hpp"
#include "session/transport.hpp"
#include "session/verbs.hpp"

namespace cometd {

class Subscriptions {
 public:
  enum class Status { wanted, sent, active, denied };

  Subscriptions(ExtensionSet& extensions, SessionVerbs& verbs)
      : extensions_(extensions), verbs_(verbs) {}

  /// The server answered the subscribe `pending`.
  void on_reply(const MessageView& reply, const Pending& pending);
  /// Its request failed without a reply.
  void on_failure(const Pending& pending, const Failure& failure);

  void add(std::vector<std::string> channels);
  /// The wanted channels, now marked sent, in the order they were given.
  std::vector<std::string> take_wanted();
  /// The session is gone: every channel not denied is wanted again.
  void reset();
  /// `channel` must be subscribed again (its request was lost, or a retry is due).
  void want(std::string_view channel);
  void activate(std::string_view channel);
  /// Refused for good. Returns whether any channel is left.
  bool deny(std::string_view channel, bool auth);

  /// Not a channel of ours (a reply to an old request), or denied already.
  bool ignores(std::string_view channel) const;
  /// Every channel was denied, at least one of them for authentication.
  bool denied_for_auth() const { return auth_denial_; }
  std::size_t size() const { return entries_.size(); }
  std::size_t active() const;
  /// No subscription awaits its reply.
  bool settled() const;

 private:
  struct Entry {
    std::string channel;
    Status status = Status::wanted;
  };
  Entry* find(std::string_view channel);
  /// Refused for good: reported; the run ends when no channel is left.
  void refuse(const std::string& channel, const std::string& error, bool auth);

  ExtensionSet& extensions_;
  SessionVerbs& verbs_;
  std::vector<Entry> entries_;
  bool auth_denial_ = false;
};

}  // namespace cometd
