#include "session/pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "bayeux/wire.hpp"
#include "redact.hpp"
#include "trace.hpp"

namespace cometd {

Pipeline::Pipeline(Limits limits, Scheduler& scheduler, PendingReplies& pending,
                   ExtensionSet& extensions, TransportListener& listener,
                   OnDeadline on_deadline, std::function<void()> wake)
    : limits_(limits),
      scheduler_(scheduler),
      pending_(pending),
      extensions_(extensions),
      listener_(listener),
      on_deadline_(std::move(on_deadline)),
      wake_(std::move(wake)),
      dropped_timer_(scheduler),
      soon_timer_(scheduler),
      hold_timer_(scheduler) {}

Pipeline::~Pipeline() { forget_in_flight(); }

void Pipeline::attach(Transport* transport, Headers headers) {
  transport_ = transport;
  headers_ = std::move(headers);
  forget_in_flight();
  request_in_flight_ = 0;
}

void Pipeline::forget_in_flight() {
  for (auto& [tag, info] : in_flight_) {
    scheduler_.cancel(info.deadline);
  }
  in_flight_.clear();
}

void Pipeline::publish(PublishRequest request) {
  Outgoing out;
  out.publish = std::move(request);
  queue_.push_back(std::move(out));
  if (!soon_timer_.armed()) {
    soon_timer_.arm(Millis{0}, [this] { wake_(); });
  }
}

void Pipeline::hold_for(Millis delay) {
  held_ = true;
  hold_timer_.arm(delay, [this] {
    held_ = false;
    wake_();
  });
}

void Pipeline::release() {
  held_ = false;
  hold_timer_.cancel();
}

void Pipeline::requeue(PublishRequest request) {
  const auto at = std::find_if(queue_.begin(), queue_.end(), [&](const Outgoing& o) {
    return o.kind == Kind::disconnect ||
           (o.kind == Kind::publish && o.publish.ticket > request.ticket);
  });
  Outgoing out;
  out.publish = std::move(request);
  queue_.insert(at, std::move(out));
}

void Pipeline::subscribe(const std::vector<std::string>& channels) {
  std::vector<Outgoing> subs;
  for (const auto& channel : channels) {
    Outgoing out;
    out.kind = Kind::subscribe;
    out.subscription = channel;
    subs.push_back(std::move(out));
  }
  queue_.insert(queue_.begin(), std::make_move_iterator(subs.begin()),
                std::make_move_iterator(subs.end()));
}

void Pipeline::disconnect() {
  queue_.clear();
  Outgoing out;
  out.kind = Kind::disconnect;
  queue_.push_back(std::move(out));
  release();
}

void Pipeline::drop_subscribes() {
  queue_.erase(std::remove_if(queue_.begin(), queue_.end(),
                              [](const Outgoing& o) { return o.kind == Kind::subscribe; }),
               queue_.end());
}

bool Pipeline::request_lane_free() const {
  return transport_ != nullptr && (request_in_flight_ == 0 || transport_->pipelines_requests());
}

bool Pipeline::append(const Outgoing& out, std::string_view client_id, Pending& pending,
                      bool first) {
  const std::size_t rollback = body_.size();
  if (!first) {
    body_.push_back(',');
  }
  switch (out.kind) {
    case Kind::publish: {
      pending.kind = RequestKind::publish;
      pending.channel = out.publish.channel;
      pending.id = out.publish.id.empty() ? next_message_id() : out.publish.id;
      const std::string ext =
          extensions_.has_builtins() || !out.publish.ext.empty()
              ? extensions_.ext({pending.channel, {}}, object_members(out.publish.ext))
              : std::string();
      write_publish(body_, pending.id, pending.channel, client_id, out.publish.data, ext);
      break;
    }
    case Kind::subscribe: {
      pending.kind = RequestKind::subscribe;
      pending.channel = "/meta/subscribe";
      pending.id = next_message_id();
      pending.subscription = out.subscription;
      const std::string ext = extensions_.has_builtins()
                                  ? extensions_.ext({pending.channel, out.subscription})
                                  : std::string();
      write_subscribe(body_, pending.channel, pending.id, client_id, out.subscription, ext);
      break;
    }
    case Kind::disconnect: {
      pending.kind = RequestKind::disconnect;
      pending.channel = "/meta/disconnect";
      pending.id = next_message_id();
      const std::string ext =
          extensions_.has_builtins() ? extensions_.ext({pending.channel, {}}) : std::string();
      write_disconnect(body_, pending.id, client_id, ext);
      break;
    }
  }
  if (!first && body_.size() + 1 > limits_.max_batch_bytes) {
    body_.resize(rollback);  // does not fit: it opens the next request
    return false;
  }
  return true;
}

void Pipeline::flush(std::string_view client_id, Millis deadline) {
  while (has_work() && request_lane_free()) {
    body_.clear();
    body_.push_back('[');
    std::vector<Pending> batch;
    while (!queue_.empty() && batch.size() < limits_.max_batch_messages &&
           (batch.empty() || body_.size() < limits_.max_batch_bytes)) {
      Pending pending;
      if (!append(queue_.front(), client_id, pending, batch.empty())) {
        break;
      }
      pending.publish = std::move(queue_.front().publish);
      batch.push_back(std::move(pending));
      queue_.pop_front();
    }
    body_.push_back(']');
    const std::uint64_t tag = send(Lane::request, body_, deadline, batch.size());
    for (auto& pending : batch) {
      pending.tag = tag;
      pending_.add(std::move(pending));
    }
  }
}

void Pipeline::send_handshake(const std::vector<std::string>& connection_types,
                              std::string_view ext, Millis deadline) {
  Pending pending;
  pending.kind = RequestKind::handshake;
  pending.channel = "/meta/handshake";
  pending.id = next_message_id();
  body_ = "[";
  write_handshake(body_, pending.id, connection_types, ext);
  body_ += "]";
  pending.tag = send(Lane::request, body_, deadline, 1);
  pending_.add(std::move(pending));
}

void Pipeline::send_connect(std::string_view client_id, std::string_view connection_type,
                            bool first, std::string_view ext, Millis deadline) {
  Pending pending;
  pending.kind = RequestKind::connect;
  pending.channel = "/meta/connect";
  pending.id = next_message_id();
  body_ = "[";
  write_connect(body_, pending.id, client_id, connection_type, first, ext);
  body_ += "]";
  pending.tag = send(Lane::connect, body_, deadline, 1);
  pending_.add(std::move(pending));
}

void Pipeline::forget(RequestKind kind) {
  for (const Pending& pending : pending_.take_kind(kind)) {
    replied(pending.tag);  // its deadline must not fire on the next socket
  }
}

std::uint64_t Pipeline::send(Lane lane, std::string body, Millis deadline,
                             std::size_t messages) {
  const std::uint64_t tag = next_tag_++;
  if (extensions_.has_payload_hooks()) {
    Headers headers = extensions_.headers();
    if (!extensions_.hooks()->outgoing(body, headers)) {
      // Its messages fail once they are registered: outside this call.
      dropped_.push_back(tag);
      dropped_timer_.arm(Millis{0}, [this] {
        auto tags = std::move(dropped_);
        dropped_.clear();
        for (const std::uint64_t dropped : tags) {
          Failure failure;
          failure.kind = Failure::Kind::network;
          failure.detail = "dropped by an extension plugin";
          failure.unsent = true;
          listener_.on_failure(dropped, std::move(failure));
        }
      });
      return tag;
    }
    if (headers != headers_) {
      headers_ = headers;
      transport_->set_headers(std::move(headers));
    }
  }
  if (spdlog::should_log(spdlog::level::debug)) {
    spdlog::debug("> {}", redact_json(body));
  }
  if (tracing()) {
    trace_out(tag, body);
  }
  if (transport_->pipelines_requests()) {
    // WebSocket replies come in any frame: the session keeps each request's deadline.
    InFlight& info = in_flight_[tag];
    info.outstanding = messages;
    info.limit = deadline;
    arm_deadline(tag, info);
  } else if (lane == Lane::request) {
    request_in_flight_ = tag;
  }
  transport_->send(tag, lane, std::move(body), deadline);
  return tag;
}

void Pipeline::trace_out(std::uint64_t tag, std::string_view body) {
  if (!trace_parser_) {
    trace_parser_ = std::make_unique<BatchParser>();
  }
  const std::string_view transport = transport_->name();
  trace_parser_->parse(body, [&](const MessageView& message) {
    TraceRecord("bayeux.out")
        .text("transport", transport)
        .number("request", static_cast<std::int64_t>(tag))
        .json("message", message.raw, message.compact);
    return true;
  });
}

void Pipeline::arm_deadline(std::uint64_t tag, InFlight& info) {
  info.deadline = scheduler_.run_after(info.limit, [this, tag] {
    auto it = in_flight_.find(tag);
    if (it != in_flight_.end()) {
      it->second.deadline = 0;
      on_deadline_(tag);
    }
  });
}

void Pipeline::extend_deadline(std::uint64_t tag) {
  auto it = in_flight_.find(tag);
  if (it != in_flight_.end()) {
    arm_deadline(tag, it->second);
  }
}

void Pipeline::answered(std::uint64_t tag) {
  if (tag == 0 || tag == request_in_flight_) {
    request_in_flight_ = 0;
  }
}

void Pipeline::replied(std::uint64_t tag) {
  auto it = in_flight_.find(tag);
  if (it != in_flight_.end() && --it->second.outstanding == 0) {
    scheduler_.cancel(it->second.deadline);
    in_flight_.erase(it);
  }
}

}  // namespace cometd
