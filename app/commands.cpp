#include "commands.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <cstring>

#include "json_out.hpp"

namespace cometd {

namespace {

constexpr std::chrono::milliseconds k_drain_deadline{1000};  // after SIGINT/SIGTERM
constexpr std::chrono::milliseconds k_same_signal_window{250};

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
      std::fflush(stderr);
      ::_exit(to_int(code_));
    });
  }
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
    io_.stop();
  }
}

// --- subscribe -----------------------------------------------------------------------------

SubscribeCommand::SubscribeCommand(asio::io_context& io, Scheduler& scheduler, LineWriter& writer,
                                   const Options& options)
    : Command(io, scheduler, writer, options),
      formatter_(options.output, options.channels),
      duration_timer_(scheduler),
      idle_timer_(scheduler) {}

void SubscribeCommand::start() {
  if (options_.duration) {
    duration_timer_.arm(*options_.duration, [this] {
      const bool short_of_count = options_.count && received_ < *options_.count;
      end(short_of_count ? ExitCode::timed_out : ExitCode::ok,
          short_of_count ? "--duration passed after " + std::to_string(received_) + " of " +
                               std::to_string(*options_.count) + " messages"
                         : std::string());
    });
  }
  session_->start(options_.channels);
}

void SubscribeCommand::on_established() { arm_idle_timer(); }

void SubscribeCommand::arm_idle_timer() {
  if (options_.idle_timeout && !ending()) {
    idle_timer_.arm(*options_.idle_timeout, [this] {
      spdlog::info("no message for the --idle-timeout");
      end(ExitCode::ok);
    });
  }
}

void SubscribeCommand::on_message(const MessageView& message) {
  if (ending() || (options_.count && received_ >= *options_.count)) {
    return;
  }
  ++received_;
  formatter_.append(staging_, message, received_, std::chrono::system_clock::now());
  ++staged_;
  if (replay_ != nullptr) {
    replay_lines_.emplace_back(std::string(message.channel), ReplayExtension::replay_id(message));
  }
}

void SubscribeCommand::on_batch_done() {
  if (staged_ == 0) {
    return;
  }
  writer_.write(staging_, staged_);
  staging_.clear();
  staged_ = 0;
  arm_idle_timer();
  if (options_.count && received_ >= *options_.count) {
    end(ExitCode::ok);
    return;
  }
  if (options_.max_pending > 0 && !paused_ && writer_.pending() >= options_.max_pending) {
    paused_ = true;
    session_->set_paused(true);
  }
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
    replay_->save();
  }
  if (paused_ && writer_.pending() < options_.max_pending) {
    paused_ = false;
    session_->set_paused(false);
  }
  if (writer_.pending() == 0) {
    session_->output_drained();
  }
}

// --- publish -------------------------------------------------------------------------------

PublishCommand::PublishCommand(asio::io_context& io, Scheduler& scheduler, LineWriter& writer,
                               const Options& options)
    : Command(io, scheduler, writer, options), parser_(options.channel) {}

void PublishCommand::start() {
  session_->start({});
  if (options_.data) {
    PublishRequest request;
    request.channel = options_.channel;
    request.data = *options_.data;
    request.ticket = 1;
    waiting_.push_back(std::move(request));
    eof_ = true;
    pump();
    return;
  }
  reader_ = std::make_unique<StdinReader>(STDIN_FILENO, [this](std::string chunk, bool eof,
                                                               int error) {
    asio::post(io_, [this, chunk = std::move(chunk), eof, error]() mutable {
      on_stdin(std::move(chunk), eof, error);
    });
  });
  reader_->start();
}

void PublishCommand::stop_inputs() {
  if (reader_) {
    reader_->stop();
  }
}

void PublishCommand::on_stdin(std::string chunk, bool eof, int error) {
  if (ending() || eof_) {
    return;
  }
  const auto sink = [this](std::uint64_t number, std::string_view line, bool too_long) {
    on_line(number, line, too_long);
  };
  if (error != 0) {
    end(ExitCode::io_error, std::string("cannot read stdin: ") + std::strerror(error));
    return;
  }
  if (eof) {
    splitter_.finish(sink);
    eof_ = true;
  } else {
    splitter_.feed(chunk, sink);
    reader_waiting_ = true;
  }
  pump();
}

void PublishCommand::on_line(std::uint64_t number, std::string_view line, bool too_long) {
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

void PublishCommand::bad_line(std::uint64_t number, const std::string& reason) {
  spdlog::error("stdin:{}: {}", number, reason);
  ++bad_lines_;
  if (options_.abort_on_error) {
    eof_ = true;  // publish what came before, then stop
    if (reader_) {
      reader_->stop();
    }
  }
}

void PublishCommand::pump() {
  while (!waiting_.empty() && inflight_ < options_.max_inflight) {
    ++inflight_;
    session_->publish(std::move(waiting_.front()));
    waiting_.pop_front();
  }
  if (!eof_ && reader_waiting_ && waiting_.empty() && inflight_ < options_.max_inflight) {
    reader_waiting_ = false;
    reader_->grant();
  }
  if (eof_ && waiting_.empty() && inflight_ == 0) {
    end(final_code());
  }
}

ExitCode PublishCommand::final_code() const {
  if (rejected_auth_ > 0) {
    return ExitCode::auth;
  }
  if (rejected_ > 0) {
    return ExitCode::failure;
  }
  return bad_lines_ > 0 ? ExitCode::bad_input : ExitCode::ok;
}

void PublishCommand::on_publish_result(const PublishResult& result) {
  if (ending()) {
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

}  // namespace cometd
