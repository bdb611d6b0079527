// The load of `bench`: its clients (each a Session with its own cookie jar), their rooms, the
// publishing schedule and the counts. Everything runs on the io thread.
#pragma once

#include <algorithm>
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "bench/report.hpp"
#include "builtins.hpp"
#include "cli/options.hpp"
#include "cookie_jar.hpp"
#include "make_transport.hpp"
#include "session/session.hpp"

namespace cometd {

class Load;

/// One simulated client: a real Bayeux session subscribed to its rooms.
class BenchClient final : public SessionListener {
 public:
  using Clock = std::chrono::steady_clock;
  BenchClient(Load& load, std::uint32_t id, std::size_t slot, std::vector<std::uint32_t> rooms);

  void on_message(const MessageView& message) override;
  void on_meta(const MessageView& message) override;
  void on_publish_result(const PublishResult& result) override;
  void on_fatal(ExitCode code, std::string message) override;
  void on_connection_lost(const std::string& reason) override;
  void on_reconnected(Millis outage, bool new_session, std::size_t resubscribed) override;

  struct Sent {
    Clock::time_point at;
    std::uint32_t room;
    bool measured;
  };

  Load& load;
  std::uint32_t id;
  std::size_t slot;
  std::vector<std::uint32_t> rooms;
  std::vector<bool> room_ready;
  std::size_t rooms_ready = 0;
  CookieJar jar;
  std::vector<std::unique_ptr<MessageExtension>> extensions;  // --ext, this session's own
  std::unique_ptr<Session> session;
  Clock::time_point started;
  Clock::time_point left_at{};
  bool handshaken = false;
  bool ready = false;
  bool leaving = false;
  bool failed = false;
  bool disconnecting = false;
  bool closed = false;
  // publishing
  std::vector<std::uint64_t> next_seq;  // per room of this client
  std::size_t cursor = 0;
  std::uint64_t next_ticket = 1;
  std::unordered_map<std::uint64_t, Sent> outstanding;
  std::uint64_t sent = 0;
  std::uint64_t measured_sent = 0;
  // receiving
  std::unordered_map<std::uint64_t, StreamTrack> tracks;  // (publisher << 32 | room)
  std::vector<std::uint64_t> joined_at_count;  // room messages when each room was confirmed
  std::uint64_t received_live = 0;
  std::uint64_t measured_received = 0;
  std::uint64_t reconnects = 0;
  std::uint64_t errors = 0;
};

/// A place in the load: a client (replaced on churn) and its publishing schedule.
struct BenchSlot {
  explicit BenchSlot(asio::io_context& io) : timer(io) {}
  std::unique_ptr<BenchClient> client;
  bool publisher = false;
  std::uint64_t share = 0;  // --messages: this slot's part
  std::uint64_t measured = 0;
  asio::steady_timer timer;
  std::chrono::steady_clock::time_point next_tick{};
};

class Load {
 public:
  using Clock = std::chrono::steady_clock;
  Load(asio::io_context& io, Scheduler& scheduler, const Options& options,
       const TransportSettings& settings);
  ~Load();

  /// Starts the clients (over --ramp); `done` runs once the run is over and every session
  /// has disconnected.
  void start(std::function<void()> done);
  /// SIGINT/SIGTERM: stop publishing, report what there is.
  void interrupt();
  /// The results, once done.
  BenchResult result() const;
  /// Why no client could connect, when none did.
  const std::string& first_failure() const { return first_failure_; }
  bool any_ready() const { return ever_ready_ > 0; }

  // what the clients report
  void client_handshaken(BenchClient& c);
  void room_confirmed(BenchClient& c, std::size_t room_slot);
  void delivered(BenchClient& c, std::uint32_t room, std::uint64_t publisher, std::uint64_t seq,
                 std::int64_t intended_ns);
  void publish_done(BenchClient& c, const PublishResult& result);
  void client_failed(BenchClient& c, const std::string& why);
  void error(const std::string& kind) { ++errors_[kind]; }
  void reconnected() { ++reconnects_; }
  /// The room index of a channel of this run, or -1.
  long room_of(std::string_view channel) const;

 private:
  enum class Stage { connecting, warmup, measuring, draining, ending, done };

  BenchClient& spawn(std::size_t slot);
  void all_connected_or_failed();
  void begin_publishing();
  void begin_measuring(Clock::time_point start);
  void stop_publishing();
  void arm_tick(BenchSlot& slot);
  void tick(BenchSlot& slot);
  void publish_batch(BenchSlot& slot, Clock::time_point intended);
  bool slot_may_publish(const BenchSlot& slot) const;
  void check_drained();
  void churn_one();
  void churn_one_and_rearm();
  Millis churn_interval() const {
    return Millis{std::max<long long>(1, static_cast<long long>(1000.0 / b_.churn))};
  }
  void leave(BenchClient& c);
  void disconnect(BenchClient& c);
  void end();
  void closed(BenchClient& c);
  void closed_check();
  void progress();
  std::int64_t since_epoch(Clock::time_point t) const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t - epoch_).count();
  }

  asio::io_context& io_;
  Scheduler& scheduler_;
  const Options& options_;
  const BenchOptions& b_;
  const TransportSettings& settings_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
  std::string prefix_;  // "/bench/RUN/"
  Clock::time_point epoch_;
  Clock::time_point measure_start_{};
  Clock::time_point measure_end_{};
  Stage stage_ = Stage::connecting;
  std::function<void()> done_;
  std::vector<std::unique_ptr<BenchSlot>> slots_;
  std::vector<std::unique_ptr<BenchClient>> gone_;  // left (churn) or failed; kept for counts
  std::uint32_t next_id_ = 0;
  std::size_t settled_ = 0;  // initial clients ready or failed
  std::uint64_t ever_ready_ = 0;
  std::uint64_t sessions_ = 0;
  std::uint64_t failed_sessions_ = 0;
  std::string first_failure_;
  // per room: messages in all, ready subscribers, (publisher -> published, failed)
  std::vector<std::uint64_t> room_messages_;
  std::vector<std::uint64_t> room_subscribers_;
  struct Published {
    std::uint64_t published = 0;
    std::uint64_t failed = 0;
  };
  std::vector<std::unordered_map<std::uint32_t, Published>> room_publishers_;
  std::uint64_t expected_live_ = 0;
  std::uint64_t received_live_ = 0;
  std::uint64_t outstanding_ = 0;  // publishes awaiting their reply
  std::uint64_t published_ = 0;
  std::uint64_t publish_failed_ = 0;
  std::uint64_t publish_unknown_ = 0;
  std::uint64_t measured_sent_ = 0;
  std::uint64_t measured_received_ = 0;
  std::uint64_t reconnects_ = 0;
  std::map<std::string, std::uint64_t> errors_;
  bool interrupted_ = false;
  Histogram latency_;
  Histogram round_trip_;
  Histogram handshake_;
  Timer connect_deadline_;
  Timer stage_timer_;
  Timer drain_deadline_;
  Timer churn_timer_;
  Timer progress_timer_;
  Timer end_deadline_;
  std::uint64_t last_sent_ = 0;
  std::uint64_t last_received_ = 0;
  bool show_progress_ = false;
  std::string payload_pad_;
};

}  // namespace cometd
