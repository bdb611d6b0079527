#include "commands/command.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <csignal>
#include <cstdio>
#include <cstring>

#include "cli/logging.hpp"
#include "trace.hpp"

namespace cometd {

namespace {

constexpr std::chrono::milliseconds k_drain_deadline{1000};  // after SIGINT/SIGTERM
constexpr std::chrono::milliseconds k_same_signal_window{250};

}  // namespace

Command::Command(const CommandContext& context, const Options& options)
    : io_(context.io),
      scheduler_(context.scheduler),
      out_(context.out),
      options_(options),
      input_fd_(context.input_fd),
      drain_timer_(context.scheduler) {}

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
  out_.close();
}

void Command::on_connection_lost(const std::string& reason) {
  if (!ending_) {
    log_status("connection lost (" + reason + "); reconnecting");
  }
}

void Command::on_reconnected(Millis outage, bool new_session, std::size_t resubscribed) {
  if (ending_) {
    return;
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1fs", static_cast<double>(outage.count()) / 1000.0);
  std::string line = std::string("reconnected after ") + seconds;
  if (new_session) {
    line += "; new session";
    if (resubscribed > 0) {
      line += ", resubscribed " + std::to_string(resubscribed) +
              (resubscribed == 1 ? " channel" : " channels");
    }
  }
  log_status(line);
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

void Command::on_output_closed() {
  spdlog::info("stdout closed by the reader");
  end(ExitCode::ok);
}

void Command::on_output_event(LineSink::Event event, std::size_t count) {
  switch (event) {
    case LineSink::Event::written:
      on_written(count);
      return;
    case LineSink::Event::drained:
      break;
    case LineSink::Event::closed:
      if (!ending_) {
        on_output_closed();
        return;
      }
      break;
    case LineSink::Event::failed: {
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
  // The sink is done; once the session is too, the run is over.
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
  flush_trace();
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

}  // namespace cometd
