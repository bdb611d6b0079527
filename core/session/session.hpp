// The Bayeux session: handshake, one held /meta/connect, (re)subscribe, publish, disconnect.
// A façade over the engine's parts (core/session/*): it routes replies and failures to them and
// carries out their decisions, one verb per move of the phase machine.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "bayeux/advice.hpp"
#include "bayeux/dialect.hpp"
#include "bayeux/message.hpp"
#include "exit_code.hpp"
#include "session/connect_loop.hpp"
#include "session/credentials.hpp"
#include "session/dispatch.hpp"
#include "session/extension_set.hpp"
#include "session/health.hpp"
#include "session/hooks.hpp"
#include "session/negotiator.hpp"
#include "session/pending.hpp"
#include "session/phase.hpp"
#include "session/pipeline.hpp"
#include "session/publications.hpp"
#include "session/reconnect_policy.hpp"
#include "session/scheduler.hpp"
#include "session/subscriptions.hpp"
#include "session/transport.hpp"
#include "session/verbs.hpp"

namespace cometd {

struct SessionOptions {
  std::string url;  ///< for messages only (already redacted)
  /// Preference order, intersected with the server's supportedConnectionTypes; only types
  /// the transport factory makes. The first one is tried first (WebSocket: the upgrade).
  std::vector<std::string> connection_types{"long-polling"};
  /// A single type was asked for: exit 69 when the server does not offer it (no fallback).
  bool strict_connection_type = false;
  Millis network_delay{10000};  ///< allowance on top of advice.timeout for every request
  Millis timeout{10000};        ///< give up after this long without a first connection; 0 = never
  /// Once connected, give up when an outage lasts this long (75); 0 = retry until it is back.
  Millis reconnect_timeout{10000};
  /// Run the /meta/connect loop. Off only for a one-shot publish (handshake, publish,
  /// disconnect); turned on by itself if the server rejects publishing without it.
  bool connect_loop = true;
  std::string handshake_ext;  ///< raw JSON object merged into the handshake's ext, or empty
  Headers headers;            ///< -H, --bearer, User-Agent: on every request and upgrade
  std::size_t max_batch_bytes = 1 << 20;  ///< one request body at most (servers cap a message)
  std::size_t max_batch_messages = 1000;
};

/// The outcome of one publish.
struct PublishResult {
  std::uint64_t ticket = 0;
  std::string channel;
  std::string id;
  bool successful = false;
  std::string error;  ///< the server's error string, or why no reply came
  bool auth = false;  ///< rejected with 401/403
};

/// What the session reports to its driver. Every call happens on the io thread.
class SessionListener {
 public:
  virtual ~SessionListener() = default;
  /// A delivery (a non-meta message with data). Views are valid during the call only.
  virtual void on_message(const MessageView& message) = 0;
  /// After the last on_message() of one received batch: the moment to hand lines to stdout.
  virtual void on_batch_done() {}
  /// Every /meta/* message received (for --meta).
  virtual void on_meta(const MessageView& /*message*/) {}
  virtual void on_publish_result(const PublishResult& result) = 0;
  /// The session became healthy for the first time (first connect reply, or the handshake
  /// without the connect loop).
  virtual void on_established() {}
  /// A connection that had worked failed (once per outage); the session reconnects.
  virtual void on_connection_lost(const std::string& /*reason*/) {}
  /// The outage is over: a connect succeeded again after `outage`; with `new_session` the
  /// server had lost the session, and `resubscribed` channels are subscribed again.
  virtual void on_reconnected(Millis /*outage*/, bool /*new_session*/,
                              std::size_t /*resubscribed*/) {}
  /// The session cannot go on. The driver decides how to end (usually disconnect()).
  virtual void on_fatal(ExitCode code, std::string message) = 0;
  /// Whether received lines still wait for stdout (the ack extension acknowledges a batch
  /// only once they are written; the driver then calls Session::output_drained()).
  virtual bool output_pending() const { return false; }
};

class Session final : private ReplySink, private SessionVerbs {
 public:
  Session(SessionOptions options, Scheduler& scheduler, TransportFactory factory,
          SessionListener& listener, std::function<double()> random01);
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// Built-in extensions (in --ext order) and the batch hooks (plugins, auth), or none; they
  /// must outlive the session. Call before start().
  void use_extensions(std::vector<MessageExtension*> builtins, BatchHooks* hooks);
  /// Handshakes, then subscribes to `channels` (each validated by the caller).
  void start(std::vector<std::string> channels);
  /// Everything received so far is on stdout (for the ack extension).
  void output_drained();
  /// Queues a publish; it is sent once a session exists, batched with whatever else is ready.
  void publish(PublishRequest request);
  /// --max-pending: while paused no new /meta/connect is sent and WebSocket reading stops.
  void set_paused(bool paused);
  /// Ends the session: /meta/disconnect when one exists (its reply awaited at most 1 s), then
  /// the transport is closed and `done` runs (on the io thread, never from inside this call).
  void disconnect(std::function<void()> done);

  bool has_session() const { return !client_id_.empty(); }
  Phase phase() const { return phase_.phase(); }
  std::string_view transport_name() const;

 private:
  // SessionVerbs: what the parts ask of the session.
  void session_unknown(const std::string& why) override;
  void refresh_credentials(const std::string& what) override;
  bool may_refresh_credentials() override;
  void unhealthy(const std::string& why) override;
  void hold_requests() override;
  void fail(ExitCode code, std::string message) override;
  bool ending() const override { return phase_.ending(); }

  // The moves of the phase machine.
  void handshake_now();
  void establish(const MessageView& reply);
  void lose_session(const std::string& why, Millis delay);
  void finish();

  // ReplySink: what the dispatch matched.
  void on_reply(const MessageView& reply, Pending& pending) override;
  void on_no_reply(Pending& pending, const Failure& failure) override;
  void on_not_bayeux(std::string message) override;
  void pump() override;

  void send_handshake();
  void send_connect();
  void open_transport();
  void forget_session();
  void abandon_pending(const std::string& why);
  void recovered();
  void report_recovery();
  /// Carries out the reconnect policy's decision about a failed handshake or connect.
  void step_failed(Step step, Trouble trouble, const std::string& why, ExitCode fatal_code);
  /// --trace: the next handshake or connect is due in `delay`, because of `why`.
  void trace_reconnecting(Step step, const std::string& why, Millis delay);

  void on_handshake_reply(const MessageView& reply);
  void on_connect_reply(const MessageView& reply);
  /// An unsuccessful handshake or connect reply.
  void refused(Step step, const MessageView& reply);
  void on_step_failed(const Pending& pending, const Failure& failure);

  struct Ending {
    explicit Ending(PhaseMachine& machine) : timer(machine, {Phase::disconnecting}) {}
    PhaseTimer timer;
    std::function<void()> done;
  };

  SessionOptions options_;
  Scheduler& scheduler_;
  SessionListener& listener_;
  PhaseMachine phase_;
  ExtensionSet extensions_;
  Negotiator negotiator_;
  PendingReplies pending_;
  Dispatch dispatch_;  // the transports' listener
  Pipeline pipeline_;
  StepState handshake_;
  ConnectLoop connect_;
  ReconnectPolicy policy_;
  Health health_;
  CredentialRefresh credentials_;
  Subscriptions subscriptions_;
  Publications publications_;
  Advice advice_;
  Dialect dialect_;
  std::string client_id_;
  Ending ending_;
};

}  // namespace cometd
