// The load's counts gathered into results, and the progress line.
#include <algorithm>
#include <cstdio>

#include "bench/load.hpp"

namespace cometd {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return to > from ? std::chrono::duration<double>(to - from).count() : 0.0;
}

}  // namespace

BenchResult Load::result() const {
  BenchResult r;
  r.url = options_.url_text;
  r.options = b_;
  r.measured_seconds = seconds_between(measure_start_, measure_end_);
  r.sessions = sessions_;
  r.sessions_ready = ever_ready_;
  r.sessions_failed = failed_sessions_;
  r.published = published_;
  r.publish_failed = publish_failed_;
  r.publish_unknown = publish_unknown_;
  r.measured_sent = measured_sent_;
  r.measured_received = measured_received_;
  r.latency = latency_;
  r.round_trip = round_trip_;
  r.handshake = handshake_;
  r.reconnects = reconnects_;
  r.errors = errors_;
  r.interrupted = interrupted_;
  r.completed = !interrupted_ && ever_ready_ > 0;
  r.rooms.resize(b_.rooms);
  for (std::size_t i = 0; i < b_.rooms; ++i) {
    r.rooms[i].channel = prefix_ + std::to_string(i);
    r.rooms[i].subscribers = room_subscribers_[i];
    r.rooms[i].published = room_messages_[i];
  }
  auto add_client = [&](const BenchClient& c) {
    ClientRow row;
    row.id = c.id;
    row.transport = std::string(c.session->transport_name());
    row.publisher = slots_[c.slot]->publisher;
    row.left = c.leaving && !c.failed;
    row.failed = c.failed;
    row.sent = c.sent;
    row.measured_sent = c.measured_sent;
    row.measured_received = c.measured_received;
    const auto joined = std::max(c.started, measure_start_);
    const auto left = c.leaving ? std::min(c.left_at, measure_end_) : measure_end_;
    row.seconds = seconds_between(joined, left);
    row.reconnects = c.reconnects;
    row.errors = c.errors;
    for (std::size_t rs = 0; rs < c.rooms.size(); ++rs) {
      if (!c.room_ready[rs]) {
        continue;  // never subscribed: nothing expected
      }
      const std::uint32_t room = c.rooms[rs];
      DeliveryCounts counts;
      for (const auto& [publisher, published] : room_publishers_[room]) {
        const auto it = c.tracks.find(std::uint64_t{publisher} << 32 | room);
        const StreamTrack track = it == c.tracks.end() ? StreamTrack() : it->second;
        counts += c.leaving ? track.counts_until_left(0)
                            : track.counts(published.published, published.failed);
      }
      row.counts += counts;
      r.rooms[room].counts += counts;
    }
    r.total += row.counts;
    ++r.transports[row.transport.empty() ? "none" : row.transport];
    r.clients.push_back(std::move(row));
  };
  for (const auto& slot : slots_) {
    if (slot->client) {
      add_client(*slot->client);
    }
  }
  for (const auto& c : gone_) {
    add_client(*c);
  }
  std::sort(r.clients.begin(), r.clients.end(),
            [](const ClientRow& a, const ClientRow& b) { return a.id < b.id; });
  return r;
}

void Load::progress() {
  if (stage_ == Stage::ending || stage_ == Stage::done) {
    return;
  }
  std::uint64_t ready = 0;
  for (const auto& slot : slots_) {
    ready += slot->client && slot->client->ready && !slot->client->leaving ? 1 : 0;
  }
  const char* stage = stage_ == Stage::connecting ? "connecting"
                      : stage_ == Stage::warmup   ? "warmup"
                      : stage_ == Stage::measuring ? "measuring"
                                                   : "draining";
  const double elapsed = seconds_between(epoch_, Clock::now());
  std::fprintf(stderr,
               "\r\033[Kbench %.0fs %s: clients %llu/%llu, sent %llu (%llu/s), received %llu "
               "(%llu/s), p99 %.2f ms, behind %lld, reconnects %llu",
               elapsed, stage, static_cast<unsigned long long>(ready),
               static_cast<unsigned long long>(b_.clients),
               static_cast<unsigned long long>(published_),
               static_cast<unsigned long long>(published_ - last_sent_),
               static_cast<unsigned long long>(received_live_),
               static_cast<unsigned long long>(received_live_ - last_received_),
               static_cast<double>(latency_.value_at_percentile(99)) / 1000.0,
               static_cast<long long>(expected_live_) - static_cast<long long>(received_live_),
               static_cast<unsigned long long>(reconnects_));
  std::fflush(stderr);
  last_sent_ = published_;
  last_received_ = received_live_;
  progress_timer_.arm(Millis{1000}, [this] { progress(); });
}

}  // namespace cometd
