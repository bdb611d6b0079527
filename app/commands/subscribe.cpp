#include "commands/subscribe.hpp"

#include <spdlog/spdlog.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

namespace cometd {

namespace {

constexpr std::size_t k_staging_limit = 64 * 1024;  // bytes staged before a batch ends
constexpr std::chrono::seconds k_replay_save_interval{1};

}  // namespace

SubscribeCommand::SubscribeCommand(const CommandContext& context, const Options& options)
    : Command(context, options),
      formatter_(options.output, options.channels, options.color),
      // EOF on stdin does not end a subscription
      publisher_(context.io, context.out, context.input_fd, options, nullptr),
      duration_timer_(context.scheduler),
      idle_timer_(context.scheduler),
      settle_timer_(context.scheduler),
      replay_save_timer_(context.scheduler) {
  publisher_.before_records([this](std::size_t count) { before_records(count); });
}

void SubscribeCommand::end_normally() {
  if (!options_.stdin_publish) {
    end(ExitCode::ok);
    return;
  }
  if (settling_) {
    return;
  }
  settling_ = true;
  publisher_.stop_reading();
  settle_timer_.arm(std::chrono::seconds(2), [this] { end(publisher_.outcome()); });
  publisher_.when_idle([this] { end(publisher_.outcome()); });
}

void SubscribeCommand::start() {
  if (options_.duration) {
    duration_timer_.arm(*options_.duration, [this] {
      if (options_.count && received_ < *options_.count) {
        end(ExitCode::timed_out, "--duration passed after " + std::to_string(received_) + " of " +
                                     std::to_string(*options_.count) + " messages");
      } else {
        end_normally();
      }
    });
  }
  publisher_.attach(*session_);
  session_->start(options_.channels);
  if (options_.stdin_publish) {
    publisher_.start_reading();
  }
}

void SubscribeCommand::on_established() { arm_idle_timer(); }

void SubscribeCommand::arm_idle_timer() {
  if (options_.idle_timeout && !ending()) {
    idle_timer_.arm(*options_.idle_timeout, [this] {
      spdlog::info("no message for the --idle-timeout");
      end_normally();
    });
  }
}

void SubscribeCommand::stage(const MessageView& message, std::uint64_t seq) {
  formatter_.append(staging_, message, seq, std::chrono::system_clock::now());
  ++staged_;
  staged_in_batch_ = true;
  if (staging_.size() >= k_staging_limit) {
    flush_output();  // a batch of many MB goes out as it is parsed, not all at its end
  }
  if (replay_ != nullptr) {
    replay_lines_.emplace_back(std::string(message.channel), ReplayExtension::replay_id(message));
  }
}

void SubscribeCommand::on_message(const MessageView& message) {
  if (ending() || (options_.count && received_ >= *options_.count)) {
    return;
  }
  ++received_;
  delivered_in_batch_ = true;
  stage(message, ++records_);
}

void SubscribeCommand::on_meta(const MessageView& message) {
  if (options_.meta && !ending()) {
    stage(message, ++records_);  // written, not counted toward --count
  }
}

void SubscribeCommand::on_publish_result(const PublishResult& result) {
  publisher_.on_publish_result(result);
}

void SubscribeCommand::before_records(std::size_t count) {
  // Acks of -i lines go to the sink directly: what is staged goes first, so that the replay
  // bookkeeping stays in line with what is written.
  flush_output();
  if (replay_ != nullptr) {
    replay_lines_.insert(replay_lines_.end(), count, {});  // ack lines have no replay id
  }
}

void SubscribeCommand::on_batch_done() {
  if (options_.count && received_ >= *options_.count) {
    flush_output();
    end_normally();
    return;
  }
  if (delivered_in_batch_) {
    delivered_in_batch_ = false;
    arm_idle_timer();  // meta replies (--meta) are not messages
  }
  if (!staged_in_batch_) {
    return;
  }
  staged_in_batch_ = false;
  // Decided now, before the session asks for more. The lines of a big batch may already be
  // with the writer (the staging limit), so both counts matter.
  if (options_.max_pending > 0 && !paused_ && out_.pending() + staged_ >= options_.max_pending) {
    paused_ = true;
    session_->set_paused(true);
  }
  // The write itself waits for the end of this turn of the io loop: a WebSocket read often
  // holds many frames (Faye sends one message per frame), and their lines go out together,
  // in one wake of the writer and one write(2).
  if (staged_ > 0 && !flush_posted_) {
    flush_posted_ = true;
    asio::post(io_, [this] {
      flush_posted_ = false;
      flush_output();
    });
  }
}

void SubscribeCommand::flush_output() {
  if (staged_ == 0) {
    return;
  }
  const std::size_t lines = staged_;
  staged_ = 0;
  out_.write_buffer(staging_, lines);
}

void SubscribeCommand::on_written(std::size_t lines) {
  if (replay_ != nullptr) {
    // The store moves forward only once a line is on stdout.
    for (std::size_t i = 0; i < lines && !replay_lines_.empty(); ++i) {
      const auto& [channel, id] = replay_lines_.front();
      if (!id.empty()) {
        replay_->written(channel, id);
      }
      replay_lines_.pop_front();
    }
    save_replay_soon();
  }
  // Lines still staged (their flush is posted) are output not yet written, like the
  // writer's: acknowledging a batch (--ext ack) or fetching more must wait for them too.
  const std::size_t unwritten = out_.pending() + staged_;
  if (paused_ && unwritten < options_.max_pending) {
    paused_ = false;
    session_->set_paused(false);
  }
  if (unwritten == 0) {
    session_->output_drained();
  }
}

void SubscribeCommand::save_replay_soon() {
  if (replay_save_timer_.armed()) {
    return;
  }
  const auto since = scheduler_.now() - last_replay_save_;
  if (since >= k_replay_save_interval) {
    save_replay();
    return;
  }
  replay_save_timer_.arm(
      std::chrono::duration_cast<std::chrono::milliseconds>(k_replay_save_interval - since),
      [this] { save_replay(); });
}

void SubscribeCommand::save_replay() {
  replay_save_timer_.cancel();
  last_replay_save_ = scheduler_.now();
  std::string error;
  if (replay_ != nullptr && !replay_->save(error)) {
    fail_even_if_ending(ExitCode::io_error, error + "; the replay positions of the last lines "
                                                    "written are not saved");
  }
}

void SubscribeCommand::on_exit() { save_replay(); }

}  // namespace cometd
