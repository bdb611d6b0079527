#include "session/session.hpp"

#include <spdlog/spdlog.h>

#include <strings.h>

#include <algorithm>

#include "bayeux/channel.hpp"
#include "duration.hpp"
#include "bayeux/json_out.hpp"
#include "redact.hpp"

namespace cometd {

namespace {

using namespace std::chrono_literals;

constexpr Millis k_default_hold{60000};       // before the server advised a timeout
constexpr Millis k_default_max_interval{10000};  // CometD's default; rarely advertised
constexpr Millis k_disconnect_wait{1000};
constexpr Millis k_rehandshake_jitter{500};
constexpr auto k_short_session = 10s;
constexpr int k_storm_sessions = 3;
constexpr unsigned k_max_resends = 2;  // a publish resent after unknown-session rejections

bool is_auth_status(int status) { return status == 401 || status == 403; }

std::string describe(const Failure& failure) {
  if (failure.kind == Failure::Kind::http_status && failure.detail.empty()) {
    return "HTTP " + std::to_string(failure.http_status);
  }
  return failure.detail;
}

void log_payload(const char* direction, std::string_view body) {
  if (spdlog::should_log(spdlog::level::debug)) {
    spdlog::debug("{} {}", direction, redact_json(body));
  }
}

}  // namespace

Session::Session(SessionOptions options, Scheduler& scheduler, TransportFactory factory,
                 SessionListener& listener, std::function<double()> random01)
    : options_(std::move(options)),
      scheduler_(scheduler),
      factory_(std::move(factory)),
      listener_(listener),
      backoff_(std::move(random01)),
      connect_timer_(scheduler),
      handshake_timer_(scheduler),
      give_up_timer_(scheduler),
      disconnect_timer_(scheduler),
      request_retry_timer_(scheduler),
      pump_timer_(scheduler),
      stall_timer_(scheduler),
      cleanup_timer_(scheduler),
      dropped_timer_(scheduler) {}

Session::~Session() {
  if (transport_) {
    transport_->close();
  }
  for (auto& [tag, info] : in_flight_) {
    scheduler_.cancel(info.deadline);
  }
}

std::string_view Session::transport_name() const {
  return transport_ ? transport_->name() : std::string_view{};
}

void Session::use_extensions(std::vector<MessageExtension*> builtins, BatchHooks* hooks) {
  builtins_ = std::move(builtins);
  hooks_ = hooks;
}

Headers Session::current_headers() const {
  if (!hooks_) {
    return options_.headers;
  }
  // The auth source's headers replace ours of the same name (its Authorization wins).
  Headers auth = hooks_->auth_headers();
  Headers out;
  for (const auto& header : options_.headers) {
    const bool replaced = std::any_of(auth.begin(), auth.end(), [&](const auto& a) {
      return strcasecmp(a.first.c_str(), header.first.c_str()) == 0;
    });
    if (!replaced) {
      out.push_back(header);
    }
  }
  out.insert(out.end(), auth.begin(), auth.end());
  return out;
}

namespace {

/// The members of a raw JSON object, without its braces ("" for none).
std::string_view object_members(std::string_view object) {
  object = trim_json_whitespace(object);
  if (object.size() < 2 || object.front() != '{') {
    return {};
  }
  return trim_json_whitespace(object.substr(1, object.size() - 2));
}

}  // namespace

std::string Session::ext_object(const OutgoingMessage& message, std::string_view base) {
  ext_members_.assign(base);
  for (MessageExtension* extension : builtins_) {
    extension->outgoing(message, ext_members_);
  }
  if (ext_members_.empty()) {
    return {};
  }
  return "{" + ext_members_ + "}";
}

void Session::output_drained() {
  for (MessageExtension* extension : builtins_) {
    extension->output_drained();
  }
  pump();
}

void Session::open_transport(const std::string& type) {
  if (transport_) {
    // What is still awaited on the old transport will never be answered.
    abandon_pending("the " + std::string(transport_->name()) + " transport was replaced");
    transport_->close();
    retired_.push_back(std::move(transport_));
    // Destroyed later: we may be inside one of its callbacks.
    if (!cleanup_timer_.armed()) {
      cleanup_timer_.arm(Millis{0}, [this] { retired_.clear(); });
    }
  }
  for (auto& [tag, info] : in_flight_) {
    scheduler_.cancel(info.deadline);
  }
  in_flight_.clear();
  transport_failed_ = false;
  request_tag_in_flight_ = 0;
  first_connect_ = true;  // the first connect on a new transport is never held either
  transport_ = factory_(type);
  if (!transport_) {
    fatal(ExitCode::unavailable, "this build has no " + type + " transport");
    return;
  }
  transport_headers_ = current_headers();
  transport_->set_headers(transport_headers_);
  transport_->open(*this);
  if (paused_) {
    transport_->pause_reading(true);
  }
}

void Session::start(std::vector<std::string> channels) {
  for (auto& channel : channels) {
    subscriptions_.push_back({std::move(channel), Subscription::Status::wanted});
  }
  if (options_.connection_types.empty()) {
    fatal(ExitCode::unavailable, "no usable connection type");
    return;
  }
  state_ = State::handshaking;
  mark_unhealthy("no reply from the server");  // the --timeout clock starts at launch
  type_index_ = 0;
  const std::string& first = options_.connection_types.front();
  if (options_.strict_connection_type) {
    spdlog::info("connecting over {} (the only type asked for)", first);
  } else {
    std::string order;
    for (const auto& type : options_.connection_types) {
      order += order.empty() ? "" : ", ";
      order += type;
    }
    spdlog::info("connecting over {} (preference: {})", first, order);
  }
  open_transport(first);
  if (state_ == State::closed || fatal_reported_) {
    return;
  }
  handshake_due_ = true;
  pump();
}

void Session::publish(PublishRequest request) {
  Outgoing out;
  out.kind = RequestKind::publish;
  out.publish = std::move(request);
  queue_.push_back(std::move(out));
  // Sent at the end of the current io handler, so that the publishes of one stdin chunk share
  // a request.
  if (!pump_timer_.armed()) {
    pump_timer_.arm(Millis{0}, [this] { pump(); });
  }
}

void Session::set_paused(bool paused) {
  if (paused_ == paused) {
    return;
  }
  paused_ = paused;
  spdlog::debug("{} fetching (--max-pending)", paused ? "pausing" : "resuming");
  if (transport_) {
    transport_->pause_reading(paused);
  }
  const auto now = scheduler_.now();
  if (paused) {
    stalled_since_ = now;
    // Time stalled by the reader never counts against --timeout.
    give_up_timer_.cancel();
    // Warn before the stall outlasts the server's patience: it expires a session that has
    // no /meta/connect pending for its maxInterval.
    const Millis window = expiry_window();
    stall_timer_.arm(window * 3 / 4, [this, window] {
      stalled_too_long_ = true;
      spdlog::warn(
          "output stalled {}; the server drops the session after ~{} without /meta/connect; "
          "messages may be lost (raise --max-pending, or read stdout faster)",
          format_duration(expiry_window() * 3 / 4), format_duration(window));
    });
    return;
  }
  stall_timer_.cancel();
  if (unhealthy_since_) {
    *unhealthy_since_ += now - stalled_since_;
    arm_give_up();
  }
  pump();
}

Millis Session::expiry_window() const {
  using namespace std::chrono_literals;
  if (advice_.max_interval) {
    return *advice_.max_interval;
  }
  if (server_is_faye_) {
    // Faye expires a client 2 x its timeout after its last connect arrived; after a held
    // connect's reply, one timeout at least is left.
    return advice_.timeout.value_or(k_default_hold);
  }
  if (options_.url.find(".salesforce.com") != std::string::npos ||
      options_.url.find(".force.com") != std::string::npos) {
    return 40s;  // Salesforce documents 40 s
  }
  return k_default_max_interval;
}

void Session::disconnect(std::function<void()> done) {
  disconnect_done_ = std::move(done);
  if (state_ == State::closed) {
    disconnect_timer_.arm(Millis{0}, [this] {
      if (auto fn = std::move(disconnect_done_)) {
        fn();
      }
    });
    return;
  }
  if (state_ == State::disconnecting) {
    return;
  }
  const bool has_session = state_ == State::connected && transport_;
  state_ = State::disconnecting;
  handshake_timer_.cancel();
  connect_timer_.cancel();
  request_retry_timer_.cancel();
  give_up_timer_.cancel();
  handshake_due_ = false;
  connect_due_ = false;
  queue_.clear();
  if (!has_session) {
    disconnect_timer_.arm(Millis{0}, [this] { finish_disconnect(); });
    return;
  }
  Outgoing out;
  out.kind = RequestKind::disconnect;
  queue_.push_back(std::move(out));
  disconnect_timer_.arm(k_disconnect_wait, [this] {
    spdlog::debug("no reply to /meta/disconnect within 1s");
    finish_disconnect();
  });
  pump();
}

void Session::finish_disconnect() {
  if (state_ == State::closed) {
    return;
  }
  state_ = State::closed;
  disconnect_timer_.cancel();
  handshake_timer_.cancel();
  connect_timer_.cancel();
  request_retry_timer_.cancel();
  give_up_timer_.cancel();
  for (auto& [tag, info] : in_flight_) {
    scheduler_.cancel(info.deadline);
  }
  in_flight_.clear();
  auto done = std::move(disconnect_done_);
  if (transport_) {
    // The WebSocket close handshake completes before the run ends.
    transport_->shutdown([done = std::move(done)] {
      if (done) {
        done();
      }
    });
  } else if (done) {
    scheduler_.run_after(Millis{0}, std::move(done));
  }
}

// --- sending ------------------------------------------------------------------------------

std::uint64_t Session::send_body(Lane lane, std::string body, Millis deadline,
                                 std::size_t messages) {
  const std::uint64_t tag = next_tag_++;
  if (hooks_ != nullptr && hooks_->has_payload_hooks()) {
    Headers headers = current_headers();
    if (!hooks_->outgoing(body, headers)) {
      // Its messages fail once they are registered: outside this call.
      dropped_tags_.push_back(tag);
      dropped_timer_.arm(Millis{0}, [this] {
        auto tags = std::move(dropped_tags_);
        dropped_tags_.clear();
        Failure failure;
        failure.kind = Failure::Kind::network;
        failure.detail = "dropped by an extension plugin";
        for (std::uint64_t dropped : tags) {
          for (auto& pending : pending_.take_tag(dropped)) {
            fail_pending(pending, failure);
          }
        }
        pump();
      });
      return tag;
    }
    if (headers != transport_headers_) {
      transport_headers_ = headers;
      transport_->set_headers(std::move(headers));
    }
  }
  log_payload(">", body);
  if (transport_->pipelines_requests()) {
    // WebSocket replies come in any frame: the session keeps each request's deadline.
    InFlight& info = in_flight_[tag];
    info.outstanding = messages;
    info.limit = deadline;
    info.deadline = scheduler_.run_after(deadline, [this, tag] { on_deadline(tag); });
  } else if (lane == Lane::request) {
    request_tag_in_flight_ = tag;
  }
  transport_->send(tag, lane, std::move(body), deadline);
  return tag;
}

void Session::reply_received(std::uint64_t tag) {
  auto it = in_flight_.find(tag);
  if (it != in_flight_.end() && --it->second.outstanding == 0) {
    scheduler_.cancel(it->second.deadline);
    in_flight_.erase(it);
  }
}

void Session::on_deadline(std::uint64_t tag) {
  auto it = in_flight_.find(tag);
  if (it == in_flight_.end() || state_ == State::closed) {
    return;
  }
  if (paused_) {
    // The reply may be sitting unread behind a stalled stdout: not the server's fault.
    it->second.deadline =
        scheduler_.run_after(it->second.limit, [this, tag] { on_deadline(tag); });
    return;
  }
  in_flight_.erase(it);
  Failure failure;
  failure.kind = Failure::Kind::deadline;
  failure.detail = "no reply from " + options_.url + " in time over " +
                   std::string(transport_->name());
  // The socket is suspect: close it, and fail everything that was in flight on it.
  transport_lost(failure);
  pump();
}

void Session::transport_lost(const Failure& failure) {
  transport_failed_ = true;
  transport_->close();
  for (auto& [tag, info] : in_flight_) {
    scheduler_.cancel(info.deadline);
  }
  in_flight_.clear();
  auto failed = pending_.take_tag(0);
  std::sort(failed.begin(), failed.end(), [](const Pending& a, const Pending& b) {
    return a.publish.ticket < b.publish.ticket;
  });
  for (auto& pending : failed) {
    fail_pending(pending, failure);
    if (state_ == State::closed) {
      return;
    }
  }
}

void Session::pump() {
  if (!transport_ || state_ == State::closed || state_ == State::idle) {
    return;
  }
  if (transport_failed_ && (handshake_due_ || connect_due_ || !queue_.empty())) {
    // On WebSocket, a new socket before anything else is sent.
    open_transport(options_.connection_types[type_index_]);
    if (!transport_) {
      return;
    }
  }
  const bool request_lane_free = request_tag_in_flight_ == 0 || transport_->pipelines_requests();
  if (handshake_due_ && !handshake_in_flight_) {
    if (request_lane_free) {
      send_handshake();
    }
    return;
  }
  if (state_ == State::connected && options_.connect_loop && connect_due_ && !connect_in_flight_ &&
      !paused_) {
    bool ready = true;
    for (MessageExtension* extension : builtins_) {
      ready = ready && extension->ready_for_connect();
    }
    if (!ready && !listener_.output_pending()) {
      output_drained();  // everything received is already out
      return;
    }
    if (ready) {
      send_connect();
    }
  }
  if (state_ == State::connected || state_ == State::disconnecting) {
    send_requests();
  }
}

void Session::send_handshake() {
  handshake_due_ = false;
  handshake_in_flight_ = true;
  handshake_at_ = scheduler_.now();
  Pending pending;
  pending.kind = RequestKind::handshake;
  pending.channel = "/meta/handshake";
  pending.id = next_message_id();
  std::string& b = body_;
  b.clear();
  b += "[{\"id\":";
  append_json_string(b, pending.id);
  b += ",\"channel\":\"/meta/handshake\",\"version\":\"1.0\",\"minimumVersion\":\"1.0\","
       "\"supportedConnectionTypes\":[";
  for (std::size_t i = 0; i < options_.connection_types.size(); ++i) {
    if (i > 0) {
      b.push_back(',');
    }
    append_json_string(b, options_.connection_types[i]);
  }
  if (discovering_) {
    b += ",\"long-polling\"";
  }
  b += "],\"advice\":{\"timeout\":60000,\"interval\":0}";
  std::string base(object_members(options_.handshake_ext));
  const std::string auth = hooks_ != nullptr ? hooks_->auth_ext() : std::string();
  if (!auth.empty()) {
    base += base.empty() ? "" : ",";
    base += auth;
  }
  const std::string ext = ext_object({"/meta/handshake", {}}, base);
  if (!ext.empty()) {
    b += ",\"ext\":";
    b += ext;
  }
  b += "}]";
  spdlog::debug("handshaking with {} over {}", options_.url, transport_->name());
  pending.tag = send_body(Lane::request, b, options_.network_delay, 1);
  pending_.add(std::move(pending));
}

Millis Session::connect_deadline() const {
  if (first_connect_) {
    return options_.network_delay;  // sent with advice.timeout 0: never held
  }
  return advice_.timeout.value_or(k_default_hold) + options_.network_delay;
}

void Session::send_connect() {
  connect_due_ = false;
  connect_in_flight_ = true;
  connect_sent_at_ = scheduler_.now();
  Pending pending;
  pending.kind = RequestKind::connect;
  pending.channel = "/meta/connect";
  pending.id = next_message_id();
  std::string& b = body_;
  b.clear();
  b += "[{\"id\":";
  append_json_string(b, pending.id);
  b += ",\"channel\":\"/meta/connect\",\"clientId\":";
  append_json_string(b, client_id_);
  b += ",\"connectionType\":";
  append_json_string(b, transport_->name());
  if (first_connect_) {
    // Without it Faye and CometD Node hold even the first connect for the full timeout.
    b += ",\"advice\":{\"timeout\":0}";
  }
  const std::string ext = ext_object({"/meta/connect", {}}, {});
  if (!ext.empty()) {
    b += ",\"ext\":";
    b += ext;
  }
  b += "}]";
  pending.tag = send_body(Lane::connect, b, connect_deadline(), 1);
  pending_.add(std::move(pending));
}

void Session::send_requests() {
  while (!queue_.empty() && (request_tag_in_flight_ == 0 || transport_->pipelines_requests())) {
    std::string& b = body_;
    b.clear();
    b.push_back('[');
    std::vector<Pending> batch;
    while (!queue_.empty() && batch.size() < options_.max_batch_messages &&
           (batch.empty() || b.size() < options_.max_batch_bytes)) {
      Outgoing& out = queue_.front();
      Pending pending;
      pending.kind = out.kind;
      const std::size_t rollback = b.size();
      if (!batch.empty()) {
        b.push_back(',');
      }
      b += "{\"id\":";
      switch (out.kind) {
        case RequestKind::publish:
          pending.channel = out.publish.channel;
          pending.id = out.publish.id.empty() ? next_message_id() : out.publish.id;
          append_json_string(b, pending.id);
          b += ",\"channel\":";
          append_json_string(b, pending.channel);
          b += ",\"clientId\":";
          append_json_string(b, client_id_);
          b += ",\"data\":";
          b += out.publish.data;
          if (!builtins_.empty() || !out.publish.ext.empty()) {
            const std::string ext =
                ext_object({pending.channel, {}}, object_members(out.publish.ext));
            if (!ext.empty()) {
              b += ",\"ext\":";
              b += ext;
            }
          }
          break;
        case RequestKind::subscribe:
        case RequestKind::unsubscribe:
          pending.channel =
              out.kind == RequestKind::subscribe ? "/meta/subscribe" : "/meta/unsubscribe";
          pending.id = next_message_id();
          pending.subscription = out.subscription;
          append_json_string(b, pending.id);
          b += ",\"channel\":";
          append_json_string(b, pending.channel);
          b += ",\"clientId\":";
          append_json_string(b, client_id_);
          b += ",\"subscription\":";
          append_json_string(b, out.subscription);
          if (!builtins_.empty()) {
            const std::string ext = ext_object({pending.channel, out.subscription}, {});
            if (!ext.empty()) {
              b += ",\"ext\":";
              b += ext;
            }
          }
          break;
        case RequestKind::disconnect:
          pending.channel = "/meta/disconnect";
          pending.id = next_message_id();
          append_json_string(b, pending.id);
          b += ",\"channel\":\"/meta/disconnect\",\"clientId\":";
          append_json_string(b, client_id_);
          if (!builtins_.empty()) {
            const std::string ext = ext_object({"/meta/disconnect", {}}, {});
            if (!ext.empty()) {
              b += ",\"ext\":";
              b += ext;
            }
          }
          break;
        case RequestKind::handshake:
        case RequestKind::connect:
          break;  // never queued
      }
      b.push_back('}');
      if (!batch.empty() && b.size() > options_.max_batch_bytes) {
        b.resize(rollback);  // does not fit: it opens the next request
        break;
      }
      pending.publish = std::move(out.publish);
      batch.push_back(std::move(pending));
      queue_.pop_front();
    }
    b.push_back(']');
    const std::uint64_t tag = send_body(Lane::request, b, options_.network_delay, batch.size());
    for (auto& pending : batch) {
      pending.tag = tag;
      pending_.add(std::move(pending));
    }
  }
}

void Session::schedule_connect(Millis delay) {
  if (delay.count() <= 0) {
    connect_due_ = true;
    return;  // the caller pumps
  }
  connect_timer_.arm(delay, [this] {
    connect_due_ = true;
    pump();
  });
}

void Session::schedule_handshake(Millis delay) {
  spdlog::info("handshaking again in {}", format_duration(delay));
  handshake_timer_.arm(delay, [this] {
    handshake_due_ = true;
    pump();
  });
}

void Session::queue_subscriptions() {
  // Subscriptions go before queued publishes, all in one request.
  std::vector<Outgoing> subs;
  for (auto& sub : subscriptions_) {
    if (sub.status == Subscription::Status::wanted) {
      Outgoing out;
      out.kind = RequestKind::subscribe;
      out.subscription = sub.channel;
      subs.push_back(std::move(out));
      sub.status = Subscription::Status::sent;
    }
  }
  queue_.insert(queue_.begin(), std::make_move_iterator(subs.begin()),
                std::make_move_iterator(subs.end()));
}

void Session::drop_pending(RequestKind kind) {
  for (const Pending& pending : pending_.take_kind(kind)) {
    reply_received(pending.tag);  // its deadline must not fire on the next socket
  }
}

void Session::forget_session() {
  client_id_.clear();
  state_ = State::handshaking;
  connect_due_ = false;
  connect_timer_.cancel();
  request_retry_timer_.cancel();
  // An old held connect may still come back: unmatched, it is ignored. On long-polling it is
  // aborted, so that the next session's connect does not wait behind it.
  drop_pending(RequestKind::connect);
  connect_in_flight_ = false;
  if (transport_) {
    transport_->cancel_connect();
  }
  drop_pending(RequestKind::subscribe);
  for (auto& sub : subscriptions_) {
    if (sub.status != Subscription::Status::denied) {
      sub.status = Subscription::Status::wanted;
    }
  }
  // Queued subscribes are rebuilt after the next handshake.
  queue_.erase(std::remove_if(queue_.begin(), queue_.end(),
                              [](const Outgoing& o) { return o.kind == RequestKind::subscribe; }),
               queue_.end());
}

void Session::abandon_pending(const std::string& why) {
  auto failed = pending_.take_tag(0);
  std::sort(failed.begin(), failed.end(), [](const Pending& a, const Pending& b) {
    return a.publish.ticket < b.publish.ticket;
  });
  for (auto& pending : failed) {
    switch (pending.kind) {
      case RequestKind::handshake:
        handshake_in_flight_ = false;
        break;
      case RequestKind::connect:
        connect_in_flight_ = false;
        break;
      case RequestKind::subscribe:
        for (auto& sub : subscriptions_) {
          if (sub.channel == pending.subscription && sub.status != Subscription::Status::denied) {
            sub.status = Subscription::Status::wanted;
          }
        }
        break;
      case RequestKind::publish: {
        PublishResult result;
        result.ticket = pending.publish.ticket;
        result.channel = pending.channel;
        result.id = pending.id;
        result.error = "no reply (" + why + "); outcome unknown, not resent";
        listener_.on_publish_result(result);
        break;
      }
      case RequestKind::unsubscribe:
      case RequestKind::disconnect:
        break;
    }
  }
}

void Session::requeue(PublishRequest request) {
  // Before the other publishes, after those already put back: stdin order is kept.
  const auto at = std::find_if(queue_.begin(), queue_.end(), [&](const Outgoing& o) {
    return o.kind != RequestKind::publish || o.publish.resent == 0 ||
           o.publish.ticket > request.ticket;
  });
  Outgoing out;
  out.kind = RequestKind::publish;
  out.publish = std::move(request);
  queue_.insert(at, std::move(out));
}

void Session::rehandshake(const std::string& reason, bool session_lost) {
  const auto now = scheduler_.now();
  const bool short_lived = now - handshake_at_ < k_short_session;
  short_sessions_ = short_lived ? short_sessions_ + 1 : 0;
  if (short_sessions_ >= k_storm_sessions && !warned_storm_) {
    warned_storm_ = true;
    spdlog::warn(
        "sessions keep dying within 10s of their handshake ({}); likely causes: the "
        "session cookie is not sent back, two clients share a cookie, or a load balancer "
        "without stickiness",
        reason);
  }
  spdlog::info("session lost ({}); handshaking again", reason);
  if (stalled_too_long_) {
    stalled_too_long_ = false;
    spdlog::warn("the server dropped the session while stdout was stalled; what it held for the "
                 "session was lost");
  }
  mark_unhealthy(reason);
  forget_session();
  // The first re-handshake after a lost session only waits a jitter, so that clients do not
  // come back in lock-step after a server restart; a storm keeps the backoff growing.
  const Millis delay = session_lost && short_sessions_ == 0
                           ? backoff_.jitter(k_rehandshake_jitter)
                           : backoff_.next() + advice_.interval;
  schedule_handshake(delay);
}

// --- receiving ----------------------------------------------------------------------------

void Session::on_batch(std::uint64_t tag, std::string body) {
  if (state_ == State::closed) {
    return;
  }
  if (tag != 0 && tag == request_tag_in_flight_) {
    request_tag_in_flight_ = 0;
  }
  log_payload("<", body);
  const bool dropped =
      hooks_ != nullptr && hooks_->has_payload_hooks() && !hooks_->incoming(body);
  if (!dropped) {
    // Each message is handled as soon as it is parsed: a reply's size costs no memory, and
    // the messages before a fault in the text are not lost.
    const bool bayeux = parser_.parse(body, [this, tag](const MessageView& message) {
      handle_message(message, tag);
      return state_ != State::closed;
    });
    listener_.on_batch_done();
    if (!bayeux) {
      fatal(ExitCode::protocol, "reply from " + options_.url + " is not Bayeux: " +
                                    parser_.error() + ": " + excerpt(redact_json(body)));
      return;
    }
  }
  if (tag != 0 && transport_ && !transport_->pipelines_requests() && state_ != State::closed) {
    // A request/response transport answers every message of a request in its response.
    auto unanswered = pending_.take_tag(tag);
    Failure failure;
    failure.kind = Failure::Kind::network;
    failure.detail = "the server's response held no reply to it";
    for (auto& pending : unanswered) {
      fail_pending(pending, failure);
    }
  }
  pump();
}

void Session::on_failure(std::uint64_t tag, Failure failure) {
  if (state_ == State::closed || failure.kind == Failure::Kind::aborted) {
    return;
  }
  if (transport_->pipelines_requests()) {
    // A WebSocket failure is the socket's: everything in flight on it is lost.
    spdlog::debug("{}", describe(failure));
    transport_lost(failure);
    pump();
    return;
  }
  if (tag == 0 || tag == request_tag_in_flight_) {
    request_tag_in_flight_ = 0;
  }
  spdlog::debug("request failed: {}", describe(failure));
  auto failed = pending_.take_tag(tag);
  std::sort(failed.begin(), failed.end(), [](const Pending& a, const Pending& b) {
    return a.publish.ticket < b.publish.ticket;
  });
  for (auto& pending : failed) {
    fail_pending(pending, failure);
    if (state_ == State::closed) {
      return;
    }
  }
  pump();
}

void Session::handle_message(const MessageView& m, std::uint64_t tag) {
  (void)tag;
  if (!m.problem.empty()) {
    spdlog::warn("skipping a malformed message ({}): {}", m.problem,
                 excerpt(redact_json(m.raw)));
    return;
  }
  for (MessageExtension* extension : builtins_) {
    extension->incoming(m);
  }
  const bool meta = is_meta_channel(m.channel);
  if (meta) {
    listener_.on_meta(m);
  }
  if (m.is_reply()) {
    Pending pending;
    if (pending_.take(m.channel, m.id, pending)) {
      reply_received(pending.tag);
      if (state_ == State::disconnecting && pending.kind != RequestKind::disconnect &&
          pending.kind != RequestKind::publish) {
        return;  // ending: no new handshake, connect or subscription
      }
      switch (pending.kind) {
        case RequestKind::handshake:
          handle_handshake_reply(m);
          break;
        case RequestKind::connect:
          handle_connect_reply(m);
          break;
        case RequestKind::subscribe:
        case RequestKind::unsubscribe:
          handle_subscribe_reply(m, pending);
          break;
        case RequestKind::publish:
          handle_publish_reply(m, pending);
          break;
        case RequestKind::disconnect:
          finish_disconnect();
          break;
      }
      return;
    }
    if (meta || !m.has_data()) {
      spdlog::debug("ignoring a reply to no pending request: {}", excerpt(m.raw));
      return;
    }
  }
  if (!meta && m.has_data()) {
    listener_.on_message(m);
  }
}

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += out.empty() ? "" : ", ";
    out += item;
  }
  return out;
}

}  // namespace

namespace {

/// Salesforce's ext.sfdc.failureReason ("401::Authentication invalid"), or empty.
std::string sfdc_failure(const MessageView& message) {
  if (message.ext.empty()) {
    return {};
  }
  const std::string_view sfdc = find_raw_field(message.ext, "sfdc");
  const std::string_view reason = trim_json_whitespace(find_raw_field(sfdc, "failureReason"));
  if (reason.size() < 2 || reason.front() != '"') {
    return {};
  }
  return std::string(reason.substr(1, reason.size() - 2));
}

bool limit_exceeded(std::string_view text) {
  return text.find("limit exceeded") != std::string_view::npos;
}

}  // namespace

bool Session::may_refresh_credentials() {
  if (hooks_ == nullptr || !hooks_->can_authenticate()) {
    return false;
  }
  if (auth_retried_ && auth_worked_ &&
      scheduler_.now() - auth_refreshed_at_ >= std::chrono::minutes(1)) {
    auth_retried_ = false;  // the credentials worked a while: a new failure is a new episode
  }
  return !auth_retried_;
}

void Session::credential_failure(const std::string& what) {
  if (state_ == State::disconnecting || state_ == State::closed) {
    return;  // ending: nothing is refreshed any more
  }
  if (hooks_ == nullptr || !hooks_->can_authenticate()) {
    fatal(ExitCode::auth, what);
    return;
  }
  if (!may_refresh_credentials()) {
    fatal(ExitCode::auth, what + " (again, with fresh credentials)");
    return;
  }
  if (authenticating_) {
    return;
  }
  // Bounded: never a tight loop against a token endpoint.
  const auto now = scheduler_.now();
  while (!auth_runs_.empty() && now - auth_runs_.front() > std::chrono::minutes(10)) {
    auth_runs_.pop_front();
  }
  if (auth_runs_.size() >= 3) {
    fatal(ExitCode::auth, what + " (credentials were refreshed 3 times in 10 minutes already)");
    return;
  }
  auth_runs_.push_back(now);
  authenticating_ = true;
  spdlog::info("{}; refreshing the credentials", what);
  // Everything waits for the new credentials, then starts over with a new handshake.
  forget_session();
  handshake_due_ = false;
  handshake_timer_.cancel();
  hooks_->authenticate([this](bool ok, std::string error) {
    authenticating_ = false;
    if (state_ == State::closed || fatal_reported_) {
      return;
    }
    if (!ok) {
      fatal(ExitCode::auth, error);
      return;
    }
    auth_retried_ = true;
    auth_worked_ = false;
    auth_refreshed_at_ = scheduler_.now();
    spdlog::info("new credentials in place; handshaking again");
    // New headers take effect on a new transport (WebSocket: a new upgrade).
    open_transport(options_.connection_types[type_index_]);
    handshake_due_ = true;
    pump();
  });
}

void Session::handle_handshake_reply(const MessageView& reply) {
  handshake_in_flight_ = false;
  if (state_ != State::handshaking) {
    return;
  }
  const auto offered = parse_string_list(reply.supported_connection_types);
  if (discovering_) {
    if (*reply.successful) {
      client_id_ = std::string(reply.client_id);  // so that the end sends /meta/disconnect
      state_ = State::connected;
    }
    fatal(ExitCode::unavailable,
          refusal_ + "; the server does not offer websocket" +
              (offered.empty() ? std::string() : "; it offers: " + join(offered)));
    return;
  }
  const std::string name(transport_->name());
  if (!*reply.successful) {
    advice_.apply(reply, name);
    const std::string error(reply.error.empty() ? "no error given" : reply.error);
    const std::string reason = sfdc_failure(reply);
    if (limit_exceeded(error) || limit_exceeded(reason)) {
      fatal(ExitCode::unavailable, "handshake refused by " + options_.url + ": " +
                                       (reason.empty() ? error : reason));
      return;
    }
    if (is_auth_error(error) || reason.rfind("401", 0) == 0) {
      credential_failure("handshake denied by " + options_.url + ": " +
                         (reason.empty() ? error : error + " (" + reason + ")"));
      return;
    }
    if (advice_.reconnect == Reconnect::none) {
      fatal(ExitCode::unavailable,
            "handshake rejected by " + options_.url + ": " + error + " (advice: reconnect none)");
      return;
    }
    mark_unhealthy("handshake rejected: " + error);
    schedule_handshake(backoff_.next() + advice_.interval);
    return;
  }
  if (reply.client_id.empty()) {
    fatal(ExitCode::protocol, "handshake reply from " + options_.url + " has no clientId");
    return;
  }
  client_id_ = std::string(reply.client_id);
  advice_ = Advice{};
  advice_.apply(reply, name);
  state_ = State::connected;
  // Only Faye offers these: it never advertises maxInterval, and its expiry follows timeout.
  server_is_faye_ = std::find(offered.begin(), offered.end(), "in-process") != offered.end() ||
                    std::find(offered.begin(), offered.end(), "cross-origin-long-polling") !=
                        offered.end();
  const auto offers = [&offered](const std::string& type) {
    return offered.empty() || std::find(offered.begin(), offered.end(), type) != offered.end();
  };
  if (!offers(name)) {
    // Our order, intersected with what the server offers.
    std::size_t next = options_.connection_types.size();
    if (!options_.strict_connection_type) {
      for (std::size_t i = 0; i < options_.connection_types.size(); ++i) {
        if (offers(options_.connection_types[i])) {
          next = i;
          break;
        }
      }
    }
    if (next == options_.connection_types.size()) {
      fatal(ExitCode::unavailable, "the server does not offer " +
                                       (options_.strict_connection_type
                                            ? name
                                            : join(options_.connection_types)) +
                                       "; it offers: " + join(offered));
      return;
    }
    type_index_ = next;
    spdlog::info("the server does not offer {}; switching to {}", name,
                 options_.connection_types[next]);
    open_transport(options_.connection_types[next]);
    if (!transport_) {
      return;
    }
  }
  first_connect_ = true;
  spdlog::info("handshake done with {} over {} (clientId {})", options_.url, transport_->name(),
               client_id_);
  queue_subscriptions();
  if (options_.connect_loop) {
    connect_due_ = true;
  } else {
    mark_healthy();
    listener_.on_established();
  }
  pump();
}

void Session::handle_connect_reply(const MessageView& reply) {
  connect_in_flight_ = false;
  if (state_ != State::connected) {
    return;
  }
  advice_.apply(reply, transport_->name());
  if (advice_.multiple_clients && !warned_multiple_clients_) {
    warned_multiple_clients_ = true;
    spdlog::warn(
        "the server reports several clients on one browser cookie "
        "(multiple-clients); connects are slowed to every {}",
        format_duration(advice_.interval));
  }
  if (*reply.successful) {
    if (!websocket_worked_ && transport_->name() == "websocket") {
      websocket_worked_ = true;  // from now on WebSocket failures never fall back
      spdlog::info("connected over websocket");
    }
    const bool first = first_connect_;
    first_connect_ = false;
    const auto now = scheduler_.now();
    last_connect_ok_ = now;
    // Storm guard: a handshake that "succeeds" proves nothing. A connect the server actually
    // held, or 30 s of health, does.
    const Millis hold_proof = std::min(Millis{1000}, advice_.timeout.value_or(Millis{0}) / 2);
    const bool held = !first && hold_proof.count() > 0 && now - connect_sent_at_ >= hold_proof;
    if (held || now - handshake_at_ >= std::chrono::seconds(30)) {
      backoff_.reset();
      short_sessions_ = 0;
    }
    stalled_too_long_ = false;
    const bool established = ever_healthy_;
    mark_healthy();
    if (!established) {
      listener_.on_established();
    }
    if (advice_.reconnect == Reconnect::none) {
      fatal(ExitCode::unavailable, "the server advised not to reconnect (reconnect none)");
    } else if (advice_.reconnect == Reconnect::handshake) {
      rehandshake("the server advised a new handshake", true);
    } else {
      schedule_connect(advice_.interval);
    }
    return;
  }
  const std::string error(reply.error.empty() ? "no error given" : reply.error);
  const std::string reason = sfdc_failure(reply);
  if (limit_exceeded(error) || limit_exceeded(reason)) {
    fatal(ExitCode::unavailable, "/meta/connect refused by " + options_.url + ": " +
                                     (reason.empty() ? error : reason));
  } else if (advice_.reconnect == Reconnect::handshake || is_unknown_session_error(error)) {
    // Session loss comes first: re-handshake without authenticating.
    rehandshake("/meta/connect: " + error, true);
  } else if (parse_bayeux_error(error).code == 401 || reason.rfind("401", 0) == 0) {
    credential_failure("/meta/connect rejected by " + options_.url + ": " + error);
  } else if (advice_.reconnect == Reconnect::none) {
    fatal(is_auth_error(error) ? ExitCode::auth : ExitCode::unavailable,
          "/meta/connect rejected by " + options_.url + ": " + error + " (advice: reconnect none)");
  } else {
    mark_unhealthy("/meta/connect rejected: " + error);
    schedule_connect(advice_.interval + backoff_.next());
  }
}

void Session::handle_subscribe_reply(const MessageView& reply, Pending& pending) {
  auto sub = std::find_if(subscriptions_.begin(), subscriptions_.end(),
                          [&](const Subscription& s) { return s.channel == pending.subscription; });
  if (pending.kind == RequestKind::unsubscribe || sub == subscriptions_.end()) {
    return;
  }
  if (*reply.successful) {
    sub->status = Subscription::Status::active;
    spdlog::info("subscribed to {}", sub->channel);
    return;
  }
  const std::string error(reply.error.empty() ? "no error given" : reply.error);
  if (is_unknown_session_error(error) ||
      (reply.advice.reconnect && *reply.advice.reconnect == Reconnect::handshake)) {
    sub->status = Subscription::Status::wanted;
    if (state_ == State::connected) {
      rehandshake("/meta/subscribe: " + error, true);
    }
    return;
  }
  for (MessageExtension* extension : builtins_) {
    if (extension->retry_subscription(sub->channel, error)) {
      sub->status = Subscription::Status::wanted;
      queue_subscriptions();
      return;
    }
  }
  if (is_auth_error(error) && may_refresh_credentials()) {
    // The token may lack a scope: one refresh, then the subscription again.
    sub->status = Subscription::Status::wanted;
    credential_failure("subscribe " + sub->channel + ": " + error);
    return;
  }
  std::string explained = error;
  for (MessageExtension* extension : builtins_) {
    explained += extension->explain_failure(sub->channel, error);
  }
  fail_subscription(sub->channel, explained, is_auth_error(error));
}

void Session::fail_subscription(const std::string& channel, const std::string& error, bool auth) {
  spdlog::error("subscribe {}: {}", channel, error);
  auth_denial_ = auth_denial_ || auth;
  bool any_left = false;
  for (auto& sub : subscriptions_) {
    if (sub.channel == channel) {
      sub.status = Subscription::Status::denied;
    }
    any_left = any_left || sub.status != Subscription::Status::denied;
  }
  if (!any_left) {
    fatal(auth_denial_ ? ExitCode::auth : ExitCode::failure,
          subscriptions_.size() == 1 ? "the subscription was denied"
                                     : "every subscription was denied");
  }
}

void Session::handle_publish_reply(const MessageView& reply, Pending& pending) {
  PublishResult result;
  result.ticket = pending.publish.ticket;
  result.channel = pending.channel;
  result.id = pending.id;
  result.successful = *reply.successful;
  if (!result.successful) {
    result.error = reply.error.empty() ? "no error given" : std::string(reply.error);
    const bool ending = state_ == State::disconnecting || state_ == State::closed;
    if (is_unknown_session_error(result.error) && !ending &&
        pending.publish.resent < k_max_resends) {
      // Not processed by the server: send it again in the next session (whatever the state:
      // several replies of one batch say so). A one-shot publish that skipped /meta/connect
      // falls back to the full sequence.
      ++pending.publish.resent;
      requeue(std::move(pending.publish));
      options_.connect_loop = true;
      if (state_ == State::connected) {
        rehandshake("publish: " + result.error, true);
      }
      return;
    }
    const int code = parse_bayeux_error(result.error).code;
    result.auth = code == 401 || code == 403;
    if (result.auth && !ending && may_refresh_credentials() &&
        pending.publish.resent < k_max_resends) {
      ++pending.publish.resent;
      requeue(std::move(pending.publish));
      credential_failure("publish to " + result.channel + ": " + result.error);
      return;
    }
  }
  listener_.on_publish_result(result);
}

bool Session::fall_back(const std::string& why) {
  if (options_.strict_connection_type || type_index_ + 1 >= options_.connection_types.size()) {
    return false;
  }
  ++type_index_;
  const std::string& next = options_.connection_types[type_index_];
  spdlog::info("{}; falling back to {}", why, next);
  forget_session();
  open_transport(next);
  handshake_due_ = true;
  return true;
}

void Session::discover_offers(const std::string& why) {
  // Strict websocket and the upgrade was refused: one handshake over long-polling tells what
  // the server offers instead, for an error message that names it.
  discovering_ = true;
  refusal_ = why;
  forget_session();
  open_transport("long-polling");
  handshake_due_ = true;
}

void Session::fail_pending(Pending& pending, const Failure& failure) {
  if (state_ == State::disconnecting && pending.kind != RequestKind::disconnect) {
    return;  // ending: nothing is retried any more
  }
  const std::string detail = describe(failure);
  const bool auth = failure.kind == Failure::Kind::http_status && is_auth_status(failure.http_status);
  const bool client_error = failure.kind == Failure::Kind::http_status &&
                            failure.http_status >= 400 && failure.http_status < 500;
  const bool server_busy = (failure.kind == Failure::Kind::http_status ||
                            failure.kind == Failure::Kind::upgrade_refused) &&
                           (failure.http_status >= 500 || failure.http_status == 429);
  const bool transient = failure.kind == Failure::Kind::network || failure.kind == Failure::Kind::refused ||
                         failure.kind == Failure::Kind::deadline || server_busy ||
                         (failure.kind == Failure::Kind::http_status && !client_error);
  switch (pending.kind) {
    case RequestKind::handshake:
    case RequestKind::connect: {
      const bool handshake = pending.kind == RequestKind::handshake;
      if (handshake) {
        handshake_in_flight_ = false;
      } else {
        connect_in_flight_ = false;
      }
      if (auth || (failure.kind == Failure::Kind::upgrade_refused &&
                   is_auth_status(failure.http_status))) {
        credential_failure(options_.url + " refused " +
                           std::string(handshake ? "/meta/handshake" : "/meta/connect") + ": " +
                           detail);
        return;
      }
      // An upgrade refused with an HTTP status, or a socket that opened and then never
      // answered (a proxy in the way), means no WebSocket for this run. Network and TLS
      // failures prove nothing about WebSocket support.
      if (transport_->name() == "websocket" && !websocket_worked_ && !discovering_ &&
          !server_busy &&
          (failure.kind == Failure::Kind::upgrade_refused ||
           failure.kind == Failure::Kind::deadline)) {
        if (fall_back(detail)) {
          return;
        }
        if (failure.kind == Failure::Kind::upgrade_refused) {
          discover_offers(detail);
          return;
        }
      }
      const std::string what = handshake ? "/meta/handshake" : "/meta/connect";
      if (failure.kind == Failure::Kind::tls) {
        fatal(ExitCode::unavailable, detail);
      } else if (!transient) {
        fatal(ExitCode::protocol, options_.url + " answered " + what + " with " + detail);
      } else if (handshake) {
        if (state_ == State::handshaking) {
          mark_unhealthy(detail);
          schedule_handshake(backoff_.next());
        }
      } else if (state_ == State::connected) {
        mark_unhealthy(detail);
        const auto now = scheduler_.now();
        const auto since = std::max(last_connect_ok_, handshake_at_);
        const auto unconnected = std::chrono::duration_cast<Millis>(now - since);
        const Millis limit = advice_.timeout.value_or(k_default_hold) + advice_.interval +
                             advice_.max_interval.value_or(k_default_max_interval);
        if (unconnected + backoff_.base() > limit) {
          rehandshake(detail, false);  // the server has dropped the session by now
        } else {
          spdlog::info("/meta/connect failed ({}); retrying", detail);
          schedule_connect(backoff_.next() + advice_.interval);
        }
      }
      return;
    }
    case RequestKind::subscribe: {
      auto sub = std::find_if(
          subscriptions_.begin(), subscriptions_.end(),
          [&](const Subscription& s) { return s.channel == pending.subscription; });
      if (sub == subscriptions_.end() || sub->status == Subscription::Status::denied) {
        return;
      }
      if (auth && hooks_ != nullptr && hooks_->can_authenticate()) {
        sub->status = Subscription::Status::wanted;
        credential_failure("subscribe " + sub->channel + ": " + detail);
        return;
      }
      const bool gateway = failure.kind == Failure::Kind::http_status &&
                           failure.http_status >= 502 && failure.http_status <= 504;
      if (transient && (failure.kind != Failure::Kind::http_status || gateway)) {
        sub->status = Subscription::Status::wanted;
        mark_unhealthy(detail);
        request_retry_timer_.arm(backoff_.next(), [this] {
          if (state_ == State::connected) {
            queue_subscriptions();
            pump();
          }
        });
        return;
      }
      fail_subscription(sub->channel, detail, auth);
      return;
    }
    case RequestKind::publish: {
      if (auth && may_refresh_credentials() && pending.publish.resent < k_max_resends) {
        ++pending.publish.resent;  // refused before it was processed: retried once
        requeue(std::move(pending.publish));
        credential_failure("publish to " + pending.channel + ": " + detail);
        return;
      }
      PublishResult result;
      result.ticket = pending.publish.ticket;
      result.channel = pending.channel;
      result.id = pending.id;
      result.auth = auth;
      result.error = failure.kind == Failure::Kind::http_status
                         ? detail
                         : "no reply (" + detail + "); outcome unknown, not resent";
      if (transient) {
        mark_unhealthy(detail);
      }
      listener_.on_publish_result(result);
      return;
    }
    case RequestKind::disconnect:
      finish_disconnect();
      return;
    case RequestKind::unsubscribe:
      return;
  }
}

// --- health and the end ---------------------------------------------------------------------

void Session::mark_unhealthy(const std::string& why) {
  last_failure_ = why;
  if (unhealthy_since_) {
    return;
  }
  const auto now = scheduler_.now();
  if (ever_healthy_ && now - healthy_since_ >= k_short_session) {
    // A failure after a long healthy stretch starts the backoff afresh (a server restart);
    // failures in quick succession, a storm among them, keep it growing.
    backoff_.reset();
  }
  unhealthy_since_ = now;
  if (!paused_) {
    arm_give_up();
  }
}

void Session::arm_give_up() {
  if (options_.timeout.count() > 0 && unhealthy_since_) {
    const auto spent = std::chrono::duration_cast<Millis>(scheduler_.now() - *unhealthy_since_);
    give_up_timer_.arm(std::max(Millis{0}, options_.timeout - spent), [this] {
      const std::string limit = format_duration(options_.timeout);
      if (ever_healthy_) {
        fatal(ExitCode::connection_lost, "connection to " + options_.url +
                                             " lost and not re-established within " + limit +
                                             ": " + last_failure_);
      } else {
        fatal(ExitCode::unavailable,
              "could not connect to " + options_.url + " within " + limit + ": " + last_failure_);
      }
    });
  }
}

void Session::mark_healthy() {
  auth_worked_ = true;
  if (unhealthy_since_ || !ever_healthy_) {
    healthy_since_ = scheduler_.now();
  }
  unhealthy_since_.reset();
  give_up_timer_.cancel();
  ever_healthy_ = true;
}

void Session::fatal(ExitCode code, std::string message) {
  handshake_timer_.cancel();
  connect_timer_.cancel();
  request_retry_timer_.cancel();
  give_up_timer_.cancel();
  handshake_due_ = false;
  connect_due_ = false;
  if (fatal_reported_) {
    return;
  }
  fatal_reported_ = true;
  listener_.on_fatal(code, std::move(message));
}

}  // namespace cometd
