// subscribe URL CHANNEL...: each message received as one line on stdout.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>

#include "commands/command.hpp"
#include "commands/stdin_publisher.hpp"
#include "io/output.hpp"

namespace cometd {

class SubscribeCommand final : public Command {
 public:
  SubscribeCommand(const CommandContext& context, const Options& options);

  void start() override;
  void on_message(const MessageView& message) override;
  void on_meta(const MessageView& message) override;
  void on_batch_done() override;
  void on_publish_result(const PublishResult& result) override;
  void on_established() override;
  bool output_pending() const override { return staged_ > 0 || out_.pending() > 0; }

 private:
  void on_written(std::size_t lines) override;
  void on_exit() override;
  void stop_inputs() override { publisher_.stop(); }
  /// --replay-store: saves now, or when a second has passed since the last save (a save is
  /// fsynced, ~10 ms; positions lag stdout by a second at most, never lead it).
  void save_replay_soon();
  void save_replay();
  void arm_idle_timer();
  /// -i --acks: `count` records are about to be written.
  void before_records(std::size_t count);
  void stage(const MessageView& message, std::uint64_t seq);
  void flush_output() override;
  /// The end of a normal run (--count, --duration, --idle-timeout): with -i, after the
  /// publishes in flight have their outcome (2 s at most), with what they say.
  void end_normally();

  OutputFormatter formatter_;
  StdinPublisher publisher_;
  std::string staging_;  // lines of the current batch, handed to the sink at its end
  std::size_t staged_ = 0;
  bool staged_in_batch_ = false;  // this batch produced lines (some may be flushed already)
  bool flush_posted_ = false;
  std::uint64_t received_ = 0;  // deliveries, for --count
  std::uint64_t records_ = 0;   // lines written, meta ones included (the envelope's seq)
  bool paused_ = false;
  bool settling_ = false;
  bool delivered_in_batch_ = false;  // ending: waiting for the -i publishes in flight
  // --ext replay: the (channel, replay id) of each line not yet written, in order
  std::deque<std::pair<std::string, std::string>> replay_lines_;
  Timer duration_timer_;
  Timer idle_timer_;
  Timer settle_timer_;
  Timer replay_save_timer_;
  Scheduler::Clock::time_point last_replay_save_{};
};

}  // namespace cometd
