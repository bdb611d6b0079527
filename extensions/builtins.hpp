// The built-in extensions of --ext: ack, replay and timesync (PROTOCOL.md §12, §13).
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "replay_store.hpp"
#include "session/hooks.hpp"

namespace cometd {

/// The CometD acknowledgement extension: the server resends unacknowledged batches to the same
/// session, so nothing is lost across reconnects; a batch is acknowledged only once its lines
/// are written.
class AckExtension final : public MessageExtension {
 public:
  std::string_view name() const override { return "ack"; }
  void outgoing(const OutgoingMessage& message, std::string& ext_members) override;
  void incoming(const MessageView& message) override;
  bool ready_for_connect() const override { return !enabled_ || acked_ == received_; }
  void output_drained() override { acked_ = received_; }
  bool enabled() const { return enabled_; }

 private:
  bool enabled_ = false;
  long long received_ = 0;  // the batch of the last connect reply
  long long acked_ = 0;     // the batch whose lines are written
  bool warned_ = false;     // the server's lack of the extension was told
};

/// The CometD time synchronisation extension: the server's clock offset from the client's,
/// averaged over the last 10 samples.
class TimesyncExtension final : public MessageExtension {
 public:
  std::string_view name() const override { return "timesync"; }
  void outgoing(const OutgoingMessage& message, std::string& ext_members) override;
  void incoming(const MessageView& message) override;
  /// Milliseconds to add to the local clock to get the server's; nullopt before a sample.
  std::optional<long long> offset_ms() const;

 private:
  std::deque<std::pair<long long, long long>> samples_;  // (lag, offset)
  long long lag_ = 0;
  long long offset_ = 0;
  bool reported_ = false;
};

struct ReplayOptions {
  std::string from = "-1";  ///< -1 new events only, -2 all retained, or an id (JSON number)
  bool from_given = false;  ///< --replay-from was on the command line
  std::string store;        ///< --replay-store FILE, or empty
};

/// Salesforce durable streaming: the handshake asks for replay, each /meta/subscribe carries
/// the position per channel; the last id written to stdout is kept in --replay-store. Only
/// positions (is_replay_position) of subscribed channels are ever kept.
class ReplayExtension final : public MessageExtension {
 public:
  /// Opens the store (see ReplayStore, which throws Error 73, 66 or 78); its entries that are
  /// not positions are dropped with a warning, and those channels start from --replay-from.
  explicit ReplayExtension(ReplayOptions options);

  std::string_view name() const override { return "replay"; }
  void outgoing(const OutgoingMessage& message, std::string& ext_members) override;
  void incoming(const MessageView& message) override;
  bool retry_subscription(std::string_view subscription, std::string_view error) override;
  std::string explain_failure(std::string_view subscription, std::string_view error) override;

  /// The replay id of a delivery (data.event.replayId, as its JSON text), or empty when it
  /// has none or it is not a position.
  static std::string replay_id(const MessageView& message);
  /// A delivery's line is on stdout: remember its id for the store.
  void written(const std::string& channel, const std::string& id);
  /// Writes the positions of the lines on stdout to the store, if they moved since the last
  /// save; false with the reason when it cannot (the position would be lost).
  bool save(std::string& error);

 private:
  std::string position(const std::string& channel) const;

  ReplayOptions options_;
  std::map<std::string, std::string> stored_;    // read from the store at start
  std::map<std::string, std::string> received_;  // the last id received per channel
  std::map<std::string, std::string> written_;   // the last id on stdout per channel
  std::map<std::string, std::string> fallback_;  // a stale id was refused: start over here
  std::map<std::string, std::string> sent_;      // the position each subscribe carried
  std::set<std::string> warned_;                 // channels that delivered an invalid id
  std::optional<ReplayStore> store_;
  bool dirty_ = false;
  bool confirmed_warned_ = false;
};

/// Makes the built-in extension NAME (ack, replay, timesync); nullptr for an unknown name.
std::unique_ptr<MessageExtension> make_builtin(const std::string& name,
                                               const ReplayOptions& replay);

}  // namespace cometd
