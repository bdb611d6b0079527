#include "commands/commands.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <cstring>

#include "duration.hpp"
#include "bayeux/json_out.hpp"

namespace cometd {

namespace {

constexpr std::chrono::milliseconds k_drain_deadline{1000};  // after SIGINT/SIGTERM
constexpr std::chrono::milliseconds k_same_signal_window{250};
constexpr std::size_t k_staging_limit = 64 * 1024;  // bytes staged before a batch ends
constexpr std::chrono::seconds k_replay_save_interval{1};

/// Starts reading stdin; each chunk reaches `on_chunk(chunk, eof, error)` on the io thread.
template <typename OnChunk>
std::unique_ptr<StdinReader> start_stdin(asio::io_context& io, OnChunk on_chunk) {
  auto reader = std::make_unique<StdinReader>(
      STDIN_FILENO,
      [&io, on_chunk](std::string chunk, bool eof, int error) {
        asio::post(io, [on_chunk, chunk = std::move(chunk), eof, error]() mutable {
          on_chunk(std::move(chunk), eof, error);
        });
      },
      &io);
  reader->start();
  return reader;
}

}  // namespace

// --- Command -------------------------------------------------------------------------------

Command::Command(asio::io_context& io, Scheduler& scheduler, LineWriter& writer,
                 const Options& options)
    : io_(io), scheduler_(scheduler), writer_(writer), options_(options), drain_timer_(scheduler) {}

void Command::end(ExitCode code, const std::string& message) {
  if (ending_) {
    return;
  }
  ending_ = true;
  code_ = code;
  if (!message.empty()) {
    spdlog::error("{}", message);
  }
  stop_inputs();
  session_->disconnect([this] {
    session_closed_ = true;
    finish();
  });
}

void Command::finish() {
  // A normal end waits for the reader like any filter does (the io loop keeps running, so a
  // signal still gets through); after a signal the user wants out, so a reader that stopped
  // reading is left behind after a short wait.
  if (code_ == ExitCode::interrupted || code_ == ExitCode::terminated) {
    drain_timer_.arm(k_drain_deadline, [this] {
      run_exit_hook();
      std::fflush(stderr);
      ::_exit(to_int(code_));
    });
  }
  flush_output();
  writer_.close();
}

void Command::on_signal(int signal_number) {
  const ExitCode code = signal_number == SIGTERM ? ExitCode::terminated : ExitCode::interrupted;
  const auto now = scheduler_.now();
  if (ending_) {
    // A second signal: the user does not want to wait for the disconnect. One that follows the
    // first within a moment is the same event delivered twice (timeout(1) signals the child
    // and then its whole process group).
    if (now - first_signal_at_ > k_same_signal_window) {
      run_exit_hook();
      ::_exit(to_int(code));
    }
    return;
  }
  first_signal_at_ = now;
  spdlog::info("{}: disconnecting", signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
  end(code);
}

void Command::on_writer_event(LineWriter::Event event, std::size_t count) {
  switch (event) {
    case LineWriter::Event::written:
      on_written(count);
      return;
    case LineWriter::Event::drained:
      break;
    case LineWriter::Event::closed:
      if (!ending_) {
        spdlog::info("stdout closed by the reader");
        end(ExitCode::ok);
        return;
      }
      break;
    case LineWriter::Event::failed: {
      const std::string message =
          std::string("write error on stdout: ") + std::strerror(static_cast<int>(count));
      if (!ending_) {
        end(ExitCode::io_error, message);
        return;
      }
      if (code_ == ExitCode::ok) {
        spdlog::error("{}", message);
        code_ = ExitCode::io_error;
      }
      break;
    }
  }
  // The writer is done; once the session is too, the run is over.
  if (ending_ && session_closed_) {
    run_exit_hook();
    io_.stop();
  }
}

void Command::run_exit_hook() {
  if (!exit_hook_ran_) {
    exit_hook_ran_ = true;
    on_exit();
  }
}

void Command::fail_even_if_ending(ExitCode code, const std::string& message) {
  if (!ending_) {
    end(code, message);
    return;
  }
  spdlog::error("{}", message);
  if (code_ == ExitCode::ok || code_ == ExitCode::timed_out) {
    code_ = code;
  }
}

// --- stdin publishing ----------------------------------------------------------------------

StdinPublisher::StdinPublisher(asio::io_context& io, LineWriter& writer, const Options& options,
                               std::function<void()> done)
    : io_(io),
      writer_(writer),
      options_(options),
      done_(std::move(done)),
      parser_(options.command == Options::Command::publish ? options.channel : std::string()) {}

void StdinPublisher::start_reading() {
  reader_ = start_stdin(io_, [this](std::string chunk, bool eof, int error) {
    on_stdin(std::move(chunk), eof, error);
  });
}

void StdinPublisher::publish_one() {
  PublishRequest request;
  request.channel = options_.channel;
  request.data = *options_.data;
  request.ticket = 1;
  waiting_.push_back(std::move(request));
  eof_ = true;
  pump();
}

void StdinPublisher::stop() {
  stopped_ = true;
  stop_reading();
}

void StdinPublisher::stop_reading() {
  eof_ = true;
  if (reader_) {
    reader_->stop();
  }
}

void StdinPublisher::on_stdin(std::string chunk, bool eof, int error) {
  if (stopped_ || eof_) {
    return;
  }
  const auto sink = [this](std::uint64_t number, std::string_view line, bool too_long) {
    on_line(number, line, too_long);
  };
  if (error != 0) {
    spdlog::error("cannot read stdin: {}", std::strerror(error));
    ++bad_lines_;
    eof_ = true;
  } else if (eof) {
    splitter_.finish(sink);
    eof_ = true;
  } else {
    splitter_.feed(chunk, sink);
    reader_waiting_ = true;
  }
  pump();
}

void StdinPublisher::on_line(std::uint64_t number, std::string_view line, bool too_long) {
  if (eof_) {
    return;  // --on-error abort: nothing after the bad line
  }
  if (too_long) {
    bad_line(number, "line over 1 MiB (" + std::to_string(splitter_.max_line()) + " bytes)");
    return;
  }
  PublishRequest request;
  std::string reason;
  if (!parser_.parse(line, request, reason)) {
    bad_line(number, reason);
    return;
  }
  request.ticket = number;
  waiting_.push_back(std::move(request));
}

void StdinPublisher::bad_line(std::uint64_t number, const std::string& reason) {
  spdlog::error("stdin:{}: {}", number, reason);
  ++bad_lines_;
  if (options_.abort_on_error) {
    eof_ = true;  // publish what came before, then stop
    if (reader_) {
      reader_->stop();
    }
  }
}

void StdinPublisher::pump() {
  if (stopped_) {
    return;
  }
  while (!waiting_.empty() && inflight_ < options_.max_inflight) {
    ++inflight_;
    session_->publish(std::move(waiting_.front()));
    waiting_.pop_front();
  }
  if (!eof_ && reader_waiting_ && waiting_.empty() && inflight_ < options_.max_inflight) {
    reader_waiting_ = false;
    reader_->grant();
  }
  if (inflight_ == 0 && when_idle_) {
    auto fn = std::move(when_idle_);
    when_idle_ = nullptr;
    fn();
  }
  if (eof_ && waiting_.empty() && inflight_ == 0 && done_) {
    auto done = std::move(done_);
    done_ = nullptr;
    done();
  }
}

void StdinPublisher::when_idle(std::function<void()> fn) {
  if (idle()) {
    fn();
    return;
  }
  when_idle_ = std::move(fn);
}

ExitCode StdinPublisher::outcome() const {
  if (rejected_auth_ > 0) {
    return ExitCode::auth;
  }
  if (rejected_ > 0) {
    return ExitCode::failure;
  }
  return bad_lines_ > 0 ? ExitCode::bad_input : ExitCode::ok;
}

void StdinPublisher::on_publish_result(const PublishResult& result) {
  if (stopped_) {
    return;
  }
  --inflight_;
  if (options_.acks) {
    acks_.clear();
    acks_ += "{\"line\":";
    acks_ += std::to_string(result.ticket);
    acks_ += ",\"channel\":";
    append_json_string(acks_, result.channel);
    acks_ += ",\"id\":";
    append_json_string(acks_, result.id);
    acks_ += result.successful ? ",\"successful\":true" : ",\"successful\":false";
    if (!result.successful) {
      acks_ += ",\"error\":";
      append_json_string(acks_, result.error);
    }
    acks_ += "}\n";
    writer_.write(acks_, 1);
  }
  if (!result.successful) {
    ++rejected_;
    rejected_auth_ += result.auth ? 1 : 0;
    if (options_.data) {
      spdlog::error("publish to {} failed: {}", result.channel, result.error);
    } else {
      spdlog::error("stdin:{}: publish to {} failed: {}", result.ticket, result.channel,
                    result.error);
    }
  }
  pump();
}

// --- subscribe -----------------------------------------------------------------------------

SubscribeCommand::SubscribeCommand(asio::io_context& io, Scheduler& scheduler, LineWriter& writer,
                                   const Options& options)
    : Command(io, scheduler, writer, options),
      formatter_(options.output, options.channels),
      publisher_(io, writer, options, nullptr),  // EOF on stdin does not end a subscription
      duration_timer_(scheduler),
      idle_timer_(scheduler),
      settle_timer_(scheduler),
      replay_save_timer_(scheduler) {}

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
  // Acks of -i lines go through the writer directly: flush what is staged first, so that the
  // replay bookkeeping stays in line with what is written.
  flush_output();
  if (options_.acks && replay_ != nullptr) {
    replay_lines_.emplace_back();  // the ack line has no replay id
  }
  publisher_.on_publish_result(result);
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
  if (options_.max_pending > 0 && !paused_ && writer_.pending() + staged_ >= options_.max_pending) {
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
  writer_.write_buffer(staging_, lines);
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
  const std::size_t unwritten = writer_.pending() + staged_;
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

// --- publish -------------------------------------------------------------------------------

PublishCommand::PublishCommand(asio::io_context& io, Scheduler& scheduler, LineWriter& writer,
                               const Options& options)
    : Command(io, scheduler, writer, options),
      publisher_(io, writer, options, [this] { end(publisher_.outcome()); }) {}

void PublishCommand::start() {
  publisher_.attach(*session_);
  session_->start({});
  if (options_.data) {
    publisher_.publish_one();
  } else {
    publisher_.start_reading();
  }
}

// --- call ----------------------------------------------------------------------------------

CallCommand::CallCommand(asio::io_context& io, Scheduler& scheduler, LineWriter& writer,
                         const Options& options)
    : Command(io, scheduler, writer, options), duration_timer_(scheduler) {}

void CallCommand::start() {
  duration_timer_.arm(*options_.duration, [this] {
    end(ExitCode::timed_out,
        "no reply on " + options_.channel + " within " + format_duration(*options_.duration));
  });
  session_->start({});
  if (options_.data) {
    send(*options_.data);
    return;
  }
  reader_ = start_stdin(io_, [this](std::string chunk, bool eof, int error) {
    on_stdin(std::move(chunk), eof, error);
  });
}

void CallCommand::on_stdin(std::string chunk, bool eof, int error) {
  if (ending()) {
    return;
  }
  if (error != 0) {
    end(ExitCode::io_error, std::string("cannot read stdin: ") + std::strerror(error));
    return;
  }
  if (!eof) {
    input_ += chunk;
    if (input_.size() > LineSplitter::k_default_max_line) {
      end(ExitCode::bad_input, "stdin: the request data is over 1 MiB");
      return;
    }
    reader_->grant();
    return;
  }
  PublishLineParser parser(options_.channel);
  PublishRequest request;
  std::string reason;
  if (!parser.parse(input_, request, reason)) {
    end(ExitCode::bad_input, "stdin: the request data is " + reason);
    return;
  }
  send(std::move(request.data));
}

void CallCommand::send(std::string data) {
  PublishRequest request;
  request.channel = options_.channel;
  request.data = std::move(data);
  request.ticket = 1;
  session_->publish(std::move(request));
}

void CallCommand::on_publish_result(const PublishResult& result) {
  if (!result.successful) {
    end(result.auth ? ExitCode::auth : ExitCode::failure,
        "call " + result.channel + " failed: " + result.error);
  }
  // Accepted: the answer comes as a message on the same channel.
}

void CallCommand::on_message(const MessageView& message) {
  if (ending() || message.channel != options_.channel || !message.has_data()) {
    return;
  }
  line_.clear();
  append_minified(line_, message.raw);
  line_ += '\n';
  writer_.write(line_, 1);
  end(ExitCode::ok);
}

}  // namespace cometd
