// What every command shares: the session, stdout, signals and one way to end.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <string>

#include "builtins.hpp"
#include "cli/options.hpp"
#include "exit_code.hpp"
#include "io/line_sink.hpp"
#include "session/scheduler.hpp"
#include "session/session.hpp"

namespace asio {
class io_context;
}

namespace cometd {

/// What a command runs on: the io thread's loop and timers, stdout, and the input it reads.
struct CommandContext {
  asio::io_context& io;
  Scheduler& scheduler;
  LineSink& out;                ///< stdout lines
  int input_fd = STDIN_FILENO;  ///< what stdin publishing and `call` read
};

/// What every command shares: the session, stdout, signals and one way to end. Every member
/// function runs on the io thread.
class Command : public SessionListener {
 public:
  Command(const CommandContext& context, const Options& options);
  ~Command() override = default;

  void attach(Session& session) { session_ = &session; }
  /// --ext replay: lines written to stdout move its store forward.
  void use_replay(ReplayExtension* replay) { replay_ = replay; }
  virtual void start() = 0;

  /// Ends the run once: the message (if any) on stderr, /meta/disconnect, stdout drained, the
  /// io loop stopped. Later calls are ignored: the first reason wins.
  void end(ExitCode code, const std::string& message = {});
  /// SIGINT or SIGTERM.
  void on_signal(int signal_number);
  /// An event of the stdout sink, handed over to the io thread.
  void on_output_event(LineSink::Event event, std::size_t count);

  ExitCode exit_code() const { return code_; }
  bool ending() const { return ending_; }

  void on_fatal(ExitCode code, std::string message) override { end(code, message); }
  /// The status lines of INTERFACE.md, "Reconnecting", once per outage.
  void on_connection_lost(const std::string& reason) override;
  void on_reconnected(Millis outage, bool new_session, std::size_t resubscribed) override;

 protected:
  /// A failure that must be heard even when the run is already ending (a replay position
  /// that could not be saved): ends the run with `code`, or, when it is ending, prints
  /// `message` and turns a successful exit into `code`.
  void fail_even_if_ending(ExitCode code, const std::string& message);
  /// The process is about to exit: the last state worth keeping is saved.
  virtual void on_exit() {}
  virtual void on_written(std::size_t lines) { (void)lines; }
  /// The reader of stdout went away (| head): by default the run ends, exit 0.
  virtual void on_output_closed();
  virtual void stop_inputs() {}
  /// Hands what is staged for stdout to the sink (before it is closed).
  virtual void flush_output() {}

  asio::io_context& io_;
  Scheduler& scheduler_;
  LineSink& out_;
  const Options& options_;
  int input_fd_;
  Session* session_ = nullptr;
  ReplayExtension* replay_ = nullptr;

 private:
  void finish();
  /// on_exit(), once: the sink may report its end more than once.
  void run_exit_hook();

  bool ending_ = false;
  bool exit_hook_ran_ = false;
  bool session_closed_ = false;
  Scheduler::Clock::time_point first_signal_at_{};
  ExitCode code_ = ExitCode::ok;
  Timer drain_timer_;
};

}  // namespace cometd
