#include "bench/load.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <asio/post.hpp>
#include <cstdio>

#include "bench/payload.hpp"
#include "commands/run.hpp"
#include "duration.hpp"

namespace cometd {

namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t micros(Clock::duration d) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  return us < 0 ? 0 : static_cast<std::uint64_t>(us);
}

std::uint64_t stream_key(std::uint64_t publisher, std::uint32_t room) {
  return publisher << 32 | room;
}

constexpr Millis k_disconnect_deadline{3000};
constexpr Millis k_default_drain{10000};

}  // namespace

// --- the load --------------------------------------------------------------------------------

Load::Load(asio::io_context& io, Scheduler& scheduler, const Options& options,
           const TransportSettings& settings)
    : io_(io),
      scheduler_(scheduler),
      options_(options),
      b_(options.bench),
      settings_(settings),
      rng_(std::random_device{}()),
      room_messages_(b_.rooms, 0),
      room_subscribers_(b_.rooms, 0),
      room_publishers_(b_.rooms),
      connect_deadline_(scheduler),
      stage_timer_(scheduler),
      drain_deadline_(scheduler),
      churn_timer_(scheduler),
      progress_timer_(scheduler),
      end_deadline_(scheduler),
      payload_pad_(b_.size, 'x') {
  char run[16];
  std::snprintf(run, sizeof run, "%08x", static_cast<unsigned>(rng_() & 0xffffffffu));
  prefix_ = std::string("/bench/") + run + "/";
  show_progress_ = ::isatty(STDERR_FILENO) != 0 && options.verbosity >= 0;
}

Load::~Load() = default;

long Load::room_of(std::string_view channel) const {
  if (channel.size() <= prefix_.size() || channel.substr(0, prefix_.size()) != prefix_) {
    return -1;
  }
  long room = 0;
  for (const char ch : channel.substr(prefix_.size())) {
    if (ch < '0' || ch > '9' || room > 100000000) {
      return -1;
    }
    room = room * 10 + (ch - '0');
  }
  return room < static_cast<long>(b_.rooms) ? room : -1;
}

void Load::start(std::function<void()> done) {
  done_ = std::move(done);
  epoch_ = Clock::now();
  std::uint64_t publisher_index = 0;
  for (std::size_t i = 0; i < b_.clients; ++i) {
    slots_.push_back(std::make_unique<BenchSlot>(io_));
    BenchSlot& slot = *slots_.back();
    slot.publisher = i < b_.publishers;
    if (slot.publisher && b_.messages) {
      slot.share = *b_.messages / b_.publishers + (publisher_index < *b_.messages % b_.publishers);
    }
    publisher_index += slot.publisher ? 1 : 0;
    // --ramp: client i starts at i/N of it.
    const auto delay = Millis{b_.ramp.count() * static_cast<long long>(i) /
                              static_cast<long long>(b_.clients)};
    if (delay.count() == 0) {
      spawn(i);
    } else {
      scheduler_.run_after(delay, [this, i] {
        if (stage_ == Stage::connecting) {
          spawn(i);
        }
      });
    }
  }
  if (options_.timeout.count() > 0) {
    connect_deadline_.arm(b_.ramp + options_.timeout, [this] {
      if (stage_ != Stage::connecting) {
        return;
      }
      if (ever_ready_ == 0) {
        if (first_failure_.empty()) {
          first_failure_ = "no client connected to " + options_.url_text + " within " +
                           format_duration(options_.timeout);
        }
        end();
        return;
      }
      spdlog::warn("{} of {} clients connected within {}; the others are not waited for",
                   ever_ready_, b_.clients, format_duration(b_.ramp + options_.timeout));
      begin_publishing();
    });
  }
  if (show_progress_) {
    progress_timer_.arm(Millis{1000}, [this] { progress(); });
  }
}

BenchClient& Load::spawn(std::size_t slot_index) {
  std::vector<std::uint32_t> rooms;
  for (std::uint64_t j = 0; j < b_.rooms_per_client; ++j) {
    rooms.push_back(static_cast<std::uint32_t>((slot_index * b_.rooms_per_client + j) % b_.rooms));
  }
  auto client = std::make_unique<BenchClient>(*this, next_id_++, slot_index, rooms);
  BenchClient& c = *client;
  const SessionOptions so = session_options_for(options_);
  c.session = std::make_unique<Session>(
      so, scheduler_,
      [this, &c](std::string_view type) { return make_transport(type, io_, settings_, c.jar); },
      c, [this] { return uniform_(rng_); });
  std::vector<MessageExtension*> builtins;
  for (const auto& name : options_.builtin_extensions) {
    c.extensions.push_back(make_builtin(name, options_.replay));
    builtins.push_back(c.extensions.back().get());
  }
  c.session->use_extensions(std::move(builtins), nullptr);
  std::vector<std::string> channels;
  for (const auto room : rooms) {
    channels.push_back(prefix_ + std::to_string(room));
  }
  c.started = Clock::now();
  ++sessions_;
  slots_[slot_index]->client = std::move(client);
  c.session->start(std::move(channels));
  return c;
}

void Load::client_handshaken(BenchClient& c) { handshake_.record(micros(Clock::now() - c.started)); }

void Load::room_confirmed(BenchClient& c, std::size_t room_slot) {
  if (c.leaving || c.failed || c.room_ready[room_slot]) {
    return;  // a resubscription after a new session: the streams go on
  }
  c.room_ready[room_slot] = true;
  const std::uint32_t room = c.rooms[room_slot];
  ++room_subscribers_[room];
  c.joined_at_count[room_slot] = room_messages_[room];
  // What was published before the subscription is not expected.
  for (const auto& [publisher, counts] : room_publishers_[room]) {
    c.tracks.try_emplace(stream_key(publisher, room), StreamTrack(counts.published));
  }
  if (++c.rooms_ready < c.rooms.size()) {
    return;
  }
  c.ready = true;
  ++ever_ready_;
  if (stage_ == Stage::connecting && ++settled_ == b_.clients) {
    begin_publishing();
  }
}

void Load::client_failed(BenchClient& c, const std::string& why) {
  if (c.failed || stage_ == Stage::ending || stage_ == Stage::done) {
    return;
  }
  c.failed = true;
  ++c.errors;
  ++failed_sessions_;
  if (first_failure_.empty()) {
    first_failure_ = why;
  }
  error("session failed: " + why.substr(0, 120));
  const bool was_ready = c.ready;
  leave(c);
  if (stage_ == Stage::connecting && !was_ready && ++settled_ == b_.clients) {
    if (ever_ready_ == 0) {
      end();
    } else {
      begin_publishing();
    }
  }
}

void Load::begin_publishing() {
  connect_deadline_.cancel();
  stage_ = Stage::warmup;
  const auto now = Clock::now();
  if (b_.warmup.count() > 0) {
    stage_timer_.arm(b_.warmup, [this, now] { begin_measuring(now + b_.warmup); });
  } else {
    begin_measuring(now);
  }
  if (b_.churn > 0) {
    churn_timer_.arm(churn_interval(), [this] { churn_one_and_rearm(); });
  }
  std::uint64_t k = 0;
  for (auto& slot : slots_) {
    if (!slot->publisher) {
      continue;
    }
    if (b_.rate > 0) {
      const double interval = 1e9 * static_cast<double>(b_.publishers * b_.batch) / b_.rate;
      const auto offset = static_cast<long long>(interval * static_cast<double>(k++) /
                                                 static_cast<double>(b_.publishers));
      slot->next_tick = now + std::chrono::nanoseconds(offset);
      arm_tick(*slot);
    } else {
      publish_batch(*slot, now);  // closed loop: the next batch when this one is answered
    }
  }
}

void Load::churn_one_and_rearm() {
  if (stage_ != Stage::warmup && stage_ != Stage::measuring) {
    return;
  }
  churn_one();
  churn_timer_.arm(churn_interval(), [this] { churn_one_and_rearm(); });
}

void Load::begin_measuring(Clock::time_point start) {
  // From the schedule's time, not the timer's: a message due at the start is measured.
  stage_ = Stage::measuring;
  measure_start_ = start;
  if (b_.duration) {
    stage_timer_.arm(*b_.duration, [this] { stop_publishing(); });
  }
}

bool Load::slot_may_publish(const BenchSlot& slot) const {
  return (stage_ == Stage::warmup || stage_ == Stage::measuring) && slot.client &&
         !slot.client->failed && (!b_.messages || slot.measured < slot.share);
}

void Load::arm_tick(BenchSlot& slot) {
  if (!slot_may_publish(slot)) {
    return;
  }
  slot.timer.expires_at(slot.next_tick);
  slot.timer.async_wait([this, &slot](const std::error_code& ec) {
    if (!ec) {
      tick(slot);
    }
  });
}

void Load::tick(BenchSlot& slot) {
  // Late (the io thread was busy, the process descheduled): every message due is sent now,
  // each with the time it was due, so that the delay counts in its latency.
  const auto now = Clock::now();
  const auto interval = std::chrono::nanoseconds(static_cast<long long>(
      1e9 * static_cast<double>(b_.publishers * b_.batch) / b_.rate));
  while (slot.next_tick <= now && slot_may_publish(slot)) {
    publish_batch(slot, slot.next_tick);
    slot.next_tick += interval;
  }
  arm_tick(slot);
}

void Load::publish_batch(BenchSlot& slot, Clock::time_point intended) {
  BenchClient& c = *slot.client;
  const bool measured = stage_ == Stage::measuring && intended >= measure_start_;
  for (std::uint64_t i = 0; i < b_.batch && slot_may_publish(slot); ++i) {
    const std::size_t room_slot = c.cursor++ % c.rooms.size();
    const std::uint32_t room = c.rooms[room_slot];
    const std::uint64_t seq = c.next_seq[room_slot]++;
    PublishRequest request;
    request.channel = prefix_ + std::to_string(room);
    request.data = make_payload(c.id, seq, since_epoch(intended), b_.size, payload_pad_);
    request.ticket = c.next_ticket++;
    c.outstanding.emplace(request.ticket, BenchClient::Sent{Clock::now(), room, measured});
    ++outstanding_;
    c.session->publish(std::move(request));
    ++room_publishers_[room][c.id].published;
    ++room_messages_[room];
    expected_live_ += room_subscribers_[room];
    ++c.sent;
    ++published_;
    if (measured) {
      ++c.measured_sent;
      ++slot.measured;
      ++measured_sent_;
    }
  }
  if (b_.messages && measured_sent_ >= *b_.messages) {
    stop_publishing();
  }
}

void Load::publish_done(BenchClient& c, const PublishResult& result) {
  const auto it = c.outstanding.find(result.ticket);
  if (it == c.outstanding.end()) {
    return;
  }
  const BenchClient::Sent sent = it->second;
  c.outstanding.erase(it);
  --outstanding_;
  if (sent.measured) {
    round_trip_.record(micros(Clock::now() - sent.at));
  }
  if (!result.successful) {
    ++c.errors;
    if (result.error.find("outcome unknown") != std::string::npos) {
      // It may have been delivered: still expected, and lost if it was not.
      ++publish_unknown_;
      error("publish outcome unknown");
    } else {
      ++publish_failed_;  // rejected: delivered to no one, so expected by no one
      ++room_publishers_[sent.room][c.id].failed;
      error("publish failed: " + result.error.substr(0, 120));
    }
  }
  if (c.leaving && c.outstanding.empty()) {
    disconnect(c);
  }
  if (b_.rate == 0 && c.outstanding.empty() && !c.leaving) {
    BenchSlot& slot = *slots_[c.slot];
    if (slot.client.get() == &c) {
      publish_batch(slot, Clock::now());
    }
  }
  check_drained();
}

void Load::delivered(BenchClient& c, std::uint32_t room, std::uint64_t publisher,
                     std::uint64_t seq, std::int64_t intended_ns) {
  const auto now = Clock::now();
  auto [it, inserted] = c.tracks.try_emplace(stream_key(publisher, room));
  (void)inserted;
  if (it->second.receive(seq) != StreamTrack::Arrival::fresh) {
    return;
  }
  if (!c.leaving) {
    ++c.received_live;
    ++received_live_;
  }
  const auto intended = epoch_ + std::chrono::nanoseconds(intended_ns);
  if (measure_start_ != Clock::time_point{} && intended >= measure_start_ &&
      (measure_end_ == Clock::time_point{} || intended < measure_end_)) {
    latency_.record(micros(now - intended));
    ++c.measured_received;
    ++measured_received_;
  }
  check_drained();
}

void Load::stop_publishing() {
  if (stage_ != Stage::warmup && stage_ != Stage::measuring) {
    return;
  }
  if (stage_ == Stage::warmup) {
    measure_start_ = Clock::now();  // nothing measured
  }
  stage_ = Stage::draining;
  measure_end_ = Clock::now();
  stage_timer_.cancel();
  churn_timer_.cancel();
  for (auto& slot : slots_) {
    slot->timer.cancel();
  }
  // What has not arrived within --timeout (10 s when 0) of the end is lost.
  const Millis drain = options_.timeout.count() > 0 ? options_.timeout : k_default_drain;
  drain_deadline_.arm(drain, [this] {
    spdlog::info("bench: {} deliveries and {} publish replies missing after {}",
                 expected_live_ > received_live_ ? expected_live_ - received_live_ : 0,
                 outstanding_, format_duration(options_.timeout));
    end();
  });
  check_drained();
}

void Load::check_drained() {
  if (stage_ == Stage::draining && outstanding_ == 0 && received_live_ >= expected_live_) {
    end();
  }
}

void Load::churn_one() {
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const BenchClient* c = slots_[i]->client.get();
    if (c != nullptr && c->ready && !c->leaving && !c->failed) {
      candidates.push_back(i);
    }
  }
  if (candidates.empty()) {
    return;
  }
  const std::size_t i = candidates[static_cast<std::size_t>(
      uniform_(rng_) * static_cast<double>(candidates.size())) % candidates.size()];
  leave(*slots_[i]->client);
  spawn(i);  // its publishing schedule goes on with the new client (a new publisher id)
  if (b_.rate == 0 && slots_[i]->publisher) {
    publish_batch(*slots_[i], Clock::now());  // a closed loop starts again with it
  }
}

void Load::leave(BenchClient& c) {
  if (c.leaving) {
    return;
  }
  c.leaving = true;
  c.left_at = Clock::now();
  // Deliveries still in flight to it are no longer waited for.
  std::uint64_t expected = 0;
  for (std::size_t i = 0; i < c.rooms.size(); ++i) {
    if (c.room_ready[i]) {
      --room_subscribers_[c.rooms[i]];
      expected += room_messages_[c.rooms[i]] - c.joined_at_count[i];
    }
  }
  const std::uint64_t missing = expected > c.received_live ? expected - c.received_live : 0;
  expected_live_ -= std::min(expected_live_, missing);
  if (c.failed) {
    // Its publishes without an answer will never have one: their outcome is unknown (still
    // expected; lost if they were not delivered).
    publish_unknown_ += c.outstanding.size();
    outstanding_ -= std::min<std::uint64_t>(outstanding_, c.outstanding.size());
    c.outstanding.clear();
  }
  BenchSlot& slot = *slots_[c.slot];
  if (slot.client.get() == &c) {
    gone_.push_back(std::move(slot.client));
  }
  // A publisher that leaves first hears the outcome of what it sent (2 s at most), so that a
  // message it published is either delivered or known to have failed.
  if (c.outstanding.empty()) {
    disconnect(c);
  } else {
    scheduler_.run_after(Millis{2000}, [this, &c] { disconnect(c); });
  }
  check_drained();
}

void Load::disconnect(BenchClient& c) {
  if (c.disconnecting) {
    return;
  }
  c.disconnecting = true;
  c.session->disconnect([this, &c] { closed(c); });
}

void Load::interrupt() {
  interrupted_ = true;
  if (stage_ == Stage::warmup || stage_ == Stage::measuring) {
    stop_publishing();
  } else {
    end();
  }
}

void Load::end() {
  if (stage_ == Stage::ending || stage_ == Stage::done) {
    return;
  }
  if (measure_end_ == Clock::time_point{}) {
    measure_end_ = Clock::now();
  }
  stage_ = Stage::ending;
  for (Timer* t : {&connect_deadline_, &stage_timer_, &drain_deadline_, &churn_timer_,
                   &progress_timer_}) {
    t->cancel();
  }
  for (auto& slot : slots_) {
    slot->timer.cancel();
  }
  if (show_progress_) {
    std::fputs("\r\033[K", stderr);
  }
  for (auto& slot : slots_) {
    if (slot->client) {
      disconnect(*slot->client);
    }
  }
  for (auto& c : gone_) {
    disconnect(*c);
  }
  end_deadline_.arm(k_disconnect_deadline, [this] {
    spdlog::info("bench: sessions still disconnecting after 3s; not waiting for them");
    stage_ = Stage::done;
    asio::post(io_, [this] { done_(); });
  });
  closed_check();
}

void Load::closed(BenchClient& c) {
  c.closed = true;
  closed_check();
}

void Load::closed_check() {
  if (stage_ != Stage::ending) {
    return;
  }
  for (const auto& slot : slots_) {
    if (slot->client && !slot->client->closed) {
      return;
    }
  }
  for (const auto& c : gone_) {
    if (!c->closed) {
      return;
    }
  }
  stage_ = Stage::done;
  end_deadline_.cancel();
  asio::post(io_, [this] { done_(); });
}

}  // namespace cometd
