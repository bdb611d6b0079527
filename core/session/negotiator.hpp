// Which transport the session uses (PROTOCOL.md §8): the user's preference in order, the server's
// offer, a fall back when the server refuses WebSocket at the HTTP level, one discovery
// handshake when a strict WebSocket is refused (to name what the server offers instead), sticky
// WebSocket once it worked, and a fresh socket after a failure. Owns the transport objects.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "session/phase.hpp"
#include "session/transport.hpp"

namespace cometd {

/// Makes the transport for a connection type, or nullptr when this build has none.
using TransportFactory = std::function<std::unique_ptr<Transport>(std::string_view type)>;

class Negotiator {
 public:
  /// `types`: the preference order; `strict`: a single type was asked for (no fall back).
  Negotiator(std::vector<std::string> types, bool strict, Scheduler& scheduler,
             TransportFactory factory);
  ~Negotiator();
  Negotiator(const Negotiator&) = delete;
  Negotiator& operator=(const Negotiator&) = delete;

  Transport* transport() const { return transport_.get(); }
  /// The connection type in use (or about to be).
  const std::string& type() const { return types_[index_]; }
  const std::vector<std::string>& preference() const { return types_; }
  bool strict() const { return strict_; }

  /// Opens a transport of type(), retiring the current one (destroyed later: this may run
  /// inside one of its callbacks). Null when this build has no such transport.
  Transport* open(TransportListener& listener, const Headers& headers, bool paused);
  /// The transport failed: the next send opens a new one (a new WebSocket).
  void mark_failed() { failed_ = true; }
  bool needs_reopen() const { return failed_; }

  /// "connecting over websocket (preference: websocket, long-polling)", for -v.
  std::string describe() const;
  /// The exit-69 message once discovery learnt what the server offers instead.
  std::string discovered(const std::vector<std::string>& offered) const;
  /// The connection types the handshake offers: ours, plus long-polling while discovering.
  std::vector<std::string> handshake_types() const;

  /// After a failure of the handshake or first connect: whether to leave this transport.
  enum class Move { stay, fall_back, discover };
  /// An upgrade refused with an HTTP status, or a socket that opened and never answered (a
  /// proxy in the way), means no WebSocket for this run; network and TLS failures prove
  /// nothing. fall_back/discover switch type() (the caller opens it).
  Move after_failure(const Failure& failure);
  bool discovering() const { return discovering_; }
  /// Why the strict transport was refused (for the message once discovery is done).
  const std::string& refusal() const { return refusal_; }

  /// The handshake reply's offer: the type to use (our order ∩ theirs), or empty when none
  /// fits (`error` then says what the server offers).
  std::string choose(const std::vector<std::string>& offered, std::string& error);
  /// Switches type() to `type` (one of the preference).
  void select(const std::string& type);
  /// A connect succeeded over the current transport: it is never left again. True the first
  /// time for a transport that may refuse its upgrade (WebSocket worked: worth a log line).
  bool mark_worked();

 private:
  std::vector<std::string> types_;
  bool strict_;
  TransportFactory factory_;
  std::size_t index_ = 0;
  std::unique_ptr<Transport> transport_;
  std::vector<std::unique_ptr<Transport>> retired_;
  Timer cleanup_;
  bool failed_ = false;
  bool worked_ = false;
  bool discovering_ = false;
  std::string refusal_;
};

}  // namespace cometd
