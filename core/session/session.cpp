#include "session/session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "bayeux/errors.hpp"
#include "duration.hpp"
#include "session/failure_class.hpp"
#include "session/publications.hpp"
#include "trace.hpp"

namespace cometd {

namespace {

constexpr Millis k_disconnect_wait{1000};

}  // namespace

Session::Session(SessionOptions options, Scheduler& scheduler, TransportFactory factory,
                 SessionListener& listener, std::function<double()> random01)
    : options_(std::move(options)),
      scheduler_(scheduler),
      listener_(listener),
      phase_(scheduler),
      extensions_(options_.headers),
      negotiator_(options_.connection_types, options_.strict_connection_type, scheduler,
                  std::move(factory)),
      dispatch_({phase_, pending_, pipeline_, extensions_, negotiator_, health_}, listener, *this,
                options_.url),
      pipeline_({options_.max_batch_bytes, options_.max_batch_messages}, scheduler, pending_,
                extensions_, dispatch_, [this](std::uint64_t tag) { dispatch_.on_deadline(tag); },
                [this] { pump(); }),
      handshake_(phase_, {Phase::handshaking}),
      connect_(phase_),
      policy_(std::move(random01)),
      health_(scheduler, options_.url, options_.timeout, options_.reconnect_timeout,
              [this](ExitCode code, std::string message) { fail(code, std::move(message)); }),
      credentials_(nullptr),
      subscriptions_(extensions_, *this),
      publications_(pipeline_, listener, *this),
      dialect_(options_.url),
      ending_(phase_) {}

Session::~Session() = default;

std::string_view Session::transport_name() const {
  return negotiator_.transport() != nullptr ? negotiator_.transport()->name() : std::string_view{};
}

void Session::use_extensions(std::vector<MessageExtension*> builtins, BatchHooks* hooks) {
  extensions_.use(std::move(builtins), hooks);
  credentials_.use(hooks);
}

void Session::start(std::vector<std::string> channels) {
  subscriptions_.add(std::move(channels));
  if (options_.connection_types.empty()) {
    fail(ExitCode::unavailable, "no usable connection type");
    return;
  }
  phase_.move(Phase::handshaking);
  health_.failed("no reply from the server");  // the --timeout clock starts at launch
  spdlog::info("{}", negotiator_.describe());
  open_transport();
  handshake_now();
}

void Session::output_drained() {
  extensions_.output_drained();
  pump();
}

void Session::publish(PublishRequest request) { pipeline_.publish(std::move(request)); }

void Session::set_paused(bool paused) {
  if (health_.paused() == paused) {
    return;
  }
  spdlog::debug("{} fetching (--max-pending)", paused ? "pausing" : "resuming");
  if (Transport* transport = negotiator_.transport()) {
    transport->pause_reading(paused);
  }
  if (paused) {
    health_.pause(dialect_.expiry_window(advice_));
  } else {
    health_.resume();
    pump();
  }
}

void Session::disconnect(std::function<void()> done) {
  if (ending_.done && done) {  // a second caller while the first waits: both are told
    ending_.done = [first = std::move(ending_.done), then = std::move(done)] {
      first();
      then();
    };
  } else if (done) {
    ending_.done = std::move(done);
  }
  if (phase_.in(Phase::closed)) {
    scheduler_.run_after(Millis{0}, [this] {
      if (auto fn = std::move(ending_.done)) {
        fn();
      }
    });
    return;
  }
  if (phase_.in(Phase::disconnecting)) {
    return;
  }
  const bool has_session = !client_id_.empty() && negotiator_.transport() != nullptr;
  phase_.move(Phase::disconnecting);
  TraceRecord("session.disconnect").flag("has_session", has_session);
  handshake_.reset();
  connect_.attempt().reset();
  if (!has_session) {
    pipeline_.clear();
    ending_.timer.arm(Millis{0}, [this] { finish(); });
    return;
  }
  pipeline_.disconnect();
  ending_.timer.arm(k_disconnect_wait, [this] {
    spdlog::debug("no reply to /meta/disconnect within 1s");
    finish();
  });
  pump();
}

// --- the verbs -----------------------------------------------------------------------------

void Session::handshake_now() {
  handshake_.schedule(Millis{0}, [] {});
  pump();
}

void Session::establish(const MessageView& reply) {
  client_id_ = std::string(reply.client_id);
  phase_.move(Phase::connected);
  TraceRecord("session.handshake").text("clientId", client_id_).text("transport",
                                                                      negotiator_.type());
  policy_.handshaken(scheduler_.now());
  connect_.restart();
  spdlog::info("handshake done with {} over {} (clientId {})", options_.url, negotiator_.type(),
               client_id_);
  if (options_.connect_loop) {
    connect_.attempt().schedule(Millis{0}, [] {});
  } else {
    const bool first = !health_.ever_healthy();
    recovered();  // without the connect loop, the handshake is health
    if (first) {
      listener_.on_established();
    }
  }
  pump();
}

void Session::lose_session(const std::string& why, Millis delay) {
  spdlog::info("session lost ({}); handshaking again in {}", why, format_duration(delay));
  trace_reconnecting(Step::handshake, why, delay);
  if (health_.stalled_too_long()) {
    spdlog::warn(
        "the server dropped the session while stdout was stalled; what it held for the "
        "session was lost");
  }
  health_.new_session();
  forget_session();
  handshake_.schedule(delay, [this] { pump(); });
}

void Session::refresh_credentials(const std::string& what) {
  if (phase_.ending()) {
    return;  // ending: nothing is refreshed any more
  }
  const auto verdict = credentials_.on_failure(scheduler_.now());
  if (verdict != CredentialRefresh::Verdict::refresh) {
    if (verdict != CredentialRefresh::Verdict::in_progress) {
      fail(ExitCode::auth, CredentialRefresh::fatal_message(verdict, what));
    }
    return;
  }
  spdlog::info("{}; refreshing the credentials", what);
  TraceRecord("session.credentials").text("reason", what);
  // Everything waits for the new credentials, then starts over with a new handshake.
  forget_session();
  phase_.move(Phase::awaiting_credentials);
  handshake_.reset();
  extensions_.hooks()->authenticate([this](bool ok, std::string error) {
    credentials_.refreshed(ok, scheduler_.now());
    if (!phase_.in(Phase::awaiting_credentials)) {
      return;
    }
    if (!ok) {
      fail(ExitCode::auth, error);
      return;
    }
    spdlog::info("new credentials in place; handshaking again");
    phase_.move(Phase::handshaking);
    // New headers take effect on a new transport (WebSocket: a new upgrade).
    open_transport();
    handshake_now();
  });
}

void Session::fail(ExitCode code, std::string message) {
  if (phase_.ending()) {
    return;
  }
  phase_.move(Phase::failed);
  handshake_.reset();
  connect_.attempt().reset();
  TraceRecord("session.failed").number("exit", to_int(code)).text("reason", message);
  listener_.on_fatal(code, std::move(message));
}

void Session::finish() {
  if (phase_.in(Phase::closed)) {
    return;
  }
  phase_.move(Phase::closed);
  pipeline_.forget_in_flight();
  auto done = std::move(ending_.done);
  if (Transport* transport = negotiator_.transport()) {
    // The WebSocket close handshake completes before the run ends.
    transport->shutdown([done = std::move(done)] {
      if (done) {
        done();
      }
    });
  } else if (done) {
    scheduler_.run_after(Millis{0}, std::move(done));
  }
}

// --- plumbing ------------------------------------------------------------------------------

void Session::open_transport() {
  if (negotiator_.transport() != nullptr) {
    // What is still awaited on the old transport will never be answered.
    abandon_pending("the " + std::string(negotiator_.transport()->name()) +
                    " transport was replaced");
  }
  const Headers headers = extensions_.headers();
  Transport* transport = negotiator_.open(dispatch_, headers, health_.paused());
  TraceRecord("session.transport").text("transport", negotiator_.type());
  pipeline_.attach(transport, headers);
  connect_.new_transport();  // the first connect on a new transport is never held either
  if (transport == nullptr) {
    fail(ExitCode::unavailable, "this build has no " + negotiator_.type() + " transport");
  }
}

void Session::pump() {
  if (phase_.in(Phase::idle) || phase_.in(Phase::closed) || phase_.in(Phase::failed) ||
      phase_.in(Phase::awaiting_credentials) || negotiator_.transport() == nullptr) {
    return;
  }
  const bool connected = phase_.in(Phase::connected);
  if (connected && !pipeline_.held()) {
    pipeline_.subscribe(subscriptions_.take_wanted());
  }
  if (negotiator_.needs_reopen() &&
      (handshake_.due() || connect_.attempt().due() || pipeline_.has_work())) {
    open_transport();  // on WebSocket, a new socket before anything else is sent
    if (negotiator_.transport() == nullptr) {
      return;
    }
  }
  if (handshake_.due()) {
    if (pipeline_.request_lane_free()) {
      send_handshake();
    }
    return;
  }
  if (connected && options_.connect_loop && connect_.attempt().due() && !health_.paused()) {
    if (extensions_.ready_for_connect()) {
      send_connect();
    } else if (!listener_.output_pending()) {
      output_drained();  // everything received is out already: acknowledge it
    }
  }
  if (connected || phase_.in(Phase::disconnecting)) {
    pipeline_.flush(client_id_, options_.network_delay);
  }
}

void Session::send_handshake() {
  handshake_.sent();
  spdlog::debug("handshaking with {} over {}", options_.url, negotiator_.type());
  pipeline_.send_handshake(negotiator_.handshake_types(),
                           extensions_.handshake_ext(options_.handshake_ext),
                           options_.network_delay);
}

void Session::send_connect() {
  connect_.sent(scheduler_.now());
  pipeline_.send_connect(client_id_, negotiator_.type(), connect_.first(),
                         extensions_.ext({"/meta/connect", {}}),
                         connect_.deadline(advice_, options_.network_delay));
}

void Session::forget_session() {
  client_id_.clear();
  phase_.move(Phase::handshaking);
  connect_.restart();
  // An old held connect may still come back: unmatched, it is ignored. On long-polling it is
  // aborted, so that the next session's connect does not wait behind it.
  pipeline_.forget(RequestKind::connect);
  if (Transport* transport = negotiator_.transport()) {
    transport->cancel_connect();
  }
  pipeline_.forget(RequestKind::subscribe);
  subscriptions_.reset();
  pipeline_.drop_subscribes();
}

void Session::abandon_pending(const std::string& why) {
  handshake_.done();
  connect_.attempt().done();
  for (auto& pending : pending_.take_tag(0)) {
    if (pending.kind == RequestKind::subscribe) {
      subscriptions_.want(pending.subscription);
    } else if (pending.kind == RequestKind::publish) {
      publications_.abandon(pending, why);
    }
  }
}

// --- SessionVerbs ---------------------------------------------------------------------------

void Session::unhealthy(const std::string& why) {
  if (health_.failed(why)) {
    TraceRecord("session.lost").text("reason", why);
    listener_.on_connection_lost(why);
  }
}

void Session::session_unknown(const std::string& why) {
  // A server that loses sessions between a one-shot's handshake and its publish wants the
  // full sequence.
  options_.connect_loop = true;
  if (phase_.in(Phase::connected)) {
    step_failed(Step::connect, Trouble::session_unknown, why, ExitCode::failure);
  }
}

bool Session::may_refresh_credentials() { return credentials_.may_refresh(scheduler_.now()); }

void Session::hold_requests() { pipeline_.hold_for(policy_.retry_pace(scheduler_.now())); }

void Session::recovered() {
  health_.recovered();
  pipeline_.release();  // publishes held while the server was unreachable go out now
  report_recovery();
}

void Session::report_recovery() {
  if (!subscriptions_.settled()) {
    return;  // after the resubscriptions are answered
  }
  if (auto recovery = health_.take_recovery()) {
    TraceRecord("session.reconnected")
        .number("outage_ms", recovery->outage.count())
        .flag("new_session", recovery->new_session)
        .number("resubscribed", static_cast<std::int64_t>(subscriptions_.active()));
    listener_.on_reconnected(recovery->outage, recovery->new_session, subscriptions_.active());
  }
}

void Session::step_failed(Step step, Trouble trouble, const std::string& why,
                          ExitCode fatal_code) {
  const Decision decision = policy_.failed(step, trouble, scheduler_.now(), advice_);
  switch (decision.action) {
    case Decision::Action::fatal:
      fail(fatal_code, why);
      return;
    case Decision::Action::rehandshake:
      unhealthy(why);
      if (decision.storm) {
        spdlog::warn(
            "sessions keep dying within 10s of their handshake ({}); likely causes: the "
            "session cookie is not sent back, two clients share a cookie, or a load balancer "
            "without stickiness",
            why);
      }
      lose_session(why, decision.delay);
      return;
    case Decision::Action::retry:
      unhealthy(why);
      trace_reconnecting(step, why, decision.delay);
      if (step == Step::handshake) {
        spdlog::info("handshake failed ({}); handshaking again in {}", why,
                     format_duration(decision.delay));
        handshake_.schedule(decision.delay, [this] { pump(); });
      } else {
        spdlog::info("/meta/connect failed ({}); retrying in {}", why,
                     format_duration(decision.delay));
        connect_.attempt().schedule(decision.delay, [this] { pump(); });
      }
      return;
  }
}

void Session::trace_reconnecting(Step step, const std::string& why, Millis delay) {
  TraceRecord("session.reconnecting")
      .text("step", step == Step::handshake ? "handshake" : "connect")
      .number("delay_ms", delay.count())
      .text("reason", why);
}

// --- replies ---------------------------------------------------------------------------------

void Session::on_reply(const MessageView& reply, Pending& pending) {
  if (phase_.in(Phase::disconnecting) && pending.kind != RequestKind::disconnect &&
      pending.kind != RequestKind::publish) {
    return;  // ending: no new handshake, connect or subscription
  }
  switch (pending.kind) {
    case RequestKind::handshake:
      on_handshake_reply(reply);
      return;
    case RequestKind::connect:
      on_connect_reply(reply);
      return;
    case RequestKind::subscribe:
      subscriptions_.on_reply(reply, pending);
      report_recovery();
      return;
    case RequestKind::publish:
      publications_.on_reply(reply, pending);
      if (*reply.successful && health_.ever_healthy() && !health_.healthy()) {
        recovered();  // a publish that went through proves the connection back
      }
      return;
    case RequestKind::disconnect:
      finish();
      return;
  }
}

void Session::on_not_bayeux(std::string message) { fail(ExitCode::protocol, std::move(message)); }

void Session::on_no_reply(Pending& pending, const Failure& failure) {
  if (phase_.in(Phase::disconnecting) && pending.kind != RequestKind::disconnect) {
    return;  // ending: nothing is retried any more
  }
  switch (pending.kind) {
    case RequestKind::handshake:
    case RequestKind::connect:
      on_step_failed(pending, failure);
      return;
    case RequestKind::subscribe:
      subscriptions_.on_failure(pending, failure);
      return;
    case RequestKind::publish:
      publications_.on_failure(pending, failure);
      return;
    case RequestKind::disconnect:
      finish();
      return;
  }
}

void Session::on_step_failed(const Pending& pending, const Failure& failure) {
  const bool handshake = pending.kind == RequestKind::handshake;
  (handshake ? handshake_ : connect_.attempt()).done();
  const std::string what = handshake ? "/meta/handshake" : "/meta/connect";
  const std::string detail = describe(failure);
  if (is_auth_failure(failure)) {
    refresh_credentials(options_.url + " refused " + what + ": " + detail);
    return;
  }
  const auto move = negotiator_.after_failure(failure);
  if (move != Negotiator::Move::stay) {
    forget_session();
    open_transport();
    handshake_now();
    return;
  }
  const Trouble trouble = classify(failure);
  // TLS and a refusing proxy: the server is out of reach (69); anything else broken is the
  // server's reply (76).
  const bool tls = failure.kind == Failure::Kind::tls || failure.kind == Failure::Kind::proxy;
  const ExitCode fatal_code = tls ? ExitCode::unavailable : ExitCode::protocol;
  const bool says_where = tls || failure.kind == Failure::Kind::malformed;  // names the hop
  const std::string why = says_where || trouble != Trouble::broken
                              ? detail
                              : options_.url + " answered " + what + " with " + detail;
  if (handshake ? phase_.in(Phase::handshaking) : phase_.in(Phase::connected)) {
    step_failed(handshake ? Step::handshake : Step::connect, trouble, why, fatal_code);
  }
}

void Session::on_handshake_reply(const MessageView& reply) {
  handshake_.done();
  if (!phase_.in(Phase::handshaking)) {
    return;
  }
  const auto offered = parse_string_list(reply.supported_connection_types);
  if (negotiator_.discovering()) {
    if (*reply.successful) {
      client_id_ = std::string(reply.client_id);  // so that the end sends /meta/disconnect
    }
    fail(ExitCode::unavailable, negotiator_.discovered(offered));
    return;
  }
  if (!*reply.successful) {
    advice_.apply(reply, negotiator_.type());
    refused(Step::handshake, reply);
    return;
  }
  if (reply.client_id.empty()) {
    fail(ExitCode::protocol, "handshake reply from " + options_.url + " has no clientId");
    return;
  }
  advice_ = Advice{};
  advice_.apply(reply, negotiator_.type());
  dialect_.learn(offered);
  std::string error;
  const std::string type = negotiator_.choose(offered, error);
  if (type.empty()) {
    fail(ExitCode::unavailable, error);
    return;
  }
  if (type != negotiator_.type()) {
    spdlog::info("the server does not offer {}; switching to {}", negotiator_.type(), type);
    negotiator_.select(type);
    open_transport();
    if (negotiator_.transport() == nullptr) {
      return;
    }
  }
  establish(reply);
}

void Session::refused(Step step, const MessageView& reply) {
  const Refusal refusal = judge_refusal(step, reply, advice_, options_.url);
  switch (refusal.kind) {
    case Refusal::Kind::limit:
      fail(ExitCode::unavailable, refusal.message);
      return;
    case Refusal::Kind::credentials:
      refresh_credentials(refusal.message);
      return;
    case Refusal::Kind::trouble:
      step_failed(step, refusal.trouble, refusal.message, refusal.code);
      return;
  }
}

void Session::on_connect_reply(const MessageView& reply) {
  connect_.attempt().done();
  if (!phase_.in(Phase::connected)) {
    return;
  }
  advice_.apply(reply, negotiator_.type());
  if (*reply.successful) {
    const auto now = scheduler_.now();
    const bool held = connect_.succeeded(now, advice_);
    if (negotiator_.mark_worked()) {  // from now on its failures never fall back (sticky)
      spdlog::info("connected over {}", negotiator_.type());
    }
    policy_.connected(now, held);
    credentials_.worked();
    if (!health_.healthy()) {
      TraceRecord("session.connected").text("transport", negotiator_.type());
    }
    const bool established = health_.ever_healthy();
    recovered();
    if (!established) {
      listener_.on_established();
    }
    if (advice_.reconnect == Reconnect::none) {
      fail(ExitCode::unavailable, "the server advised not to reconnect (reconnect none)");
    } else if (advice_.reconnect == Reconnect::handshake) {
      step_failed(Step::connect, Trouble::session_unknown,
                  "the server advised a new handshake", ExitCode::unavailable);
    } else {
      connect_.attempt().schedule(advice_.interval, [this] { pump(); });
    }
    return;
  }
  refused(Step::connect, reply);
}

}  // namespace cometd
