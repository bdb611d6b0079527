// The subscribe, publish and call drivers: what to send, what to write, when to stop.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "builtins.hpp"
#include "exit_code.hpp"
#include "io/line_writer.hpp"
#include "cli/options.hpp"
#include "io/output.hpp"
#include "io/publish_line.hpp"
#include "session/scheduler.hpp"
#include "session/session.hpp"
#include "io/stdin_lines.hpp"

namespace asio {
class io_context;
}

namespace cometd {

/// What every command shares: the session, stdout, signals and one way to end. Every member
/// function runs on the io thread.
class Command : public SessionListener {
 public:
  Command(asio::io_context& io, Scheduler& scheduler, LineWriter& writer, const Options& options);
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
  /// An event of the stdout writer, handed over to the io thread.
  void on_writer_event(LineWriter::Event event, std::size_t count);

  ExitCode exit_code() const { return code_; }
  bool ending() const { return ending_; }

  void on_fatal(ExitCode code, std::string message) override { end(code, message); }

 protected:
  /// A failure that must be heard even when the run is already ending (a replay position
  /// that could not be saved): ends the run with `code`, or, when it is ending, prints
  /// `message` and turns a successful exit into `code`.
  void fail_even_if_ending(ExitCode code, const std::string& message);
  /// The process is about to exit: the last state worth keeping is saved.
  virtual void on_exit() {}
  virtual void on_written(std::size_t lines) { (void)lines; }
  virtual void stop_inputs() {}
  /// Hands what is staged for stdout to the writer (before it is closed).
  virtual void flush_output() {}

  asio::io_context& io_;
  Scheduler& scheduler_;
  LineWriter& writer_;
  const Options& options_;
  Session* session_ = nullptr;
  ReplayExtension* replay_ = nullptr;

 private:
  void finish();
  /// on_exit(), once: the writer may report its end more than once.
  void run_exit_hook();

  bool ending_ = false;
  bool exit_hook_ran_ = false;
  bool session_closed_ = false;
  Scheduler::Clock::time_point first_signal_at_{};
  ExitCode code_ = ExitCode::ok;
  Timer drain_timer_;
};

/// Publishing what stdin says (publish, subscribe -i) or one message (publish CHANNEL DATA):
/// lines parsed and reported, publishes held back by --max-inflight, stdin read no further
/// than that, replies reported per line and (--acks) written to stdout.
class StdinPublisher {
 public:
  /// `done` runs once stdin is at its end and every publish has its outcome.
  StdinPublisher(asio::io_context& io, LineWriter& writer, const Options& options,
                 std::function<void()> done);
  void attach(Session& session) { session_ = &session; }

  /// Starts reading stdin.
  void start_reading();
  /// Publishes the command line's DATA to CHANNEL, as stdin line 1.
  void publish_one();
  /// No more stdin: what is parsed is still published.
  void stop_reading();
  /// Nothing more at all: the run is ending.
  void stop();
  void on_publish_result(const PublishResult& result);

  /// What the publishing says about the run: 77 or 1 for rejected publishes, 65 for bad
  /// lines, else 0.
  ExitCode outcome() const;
  /// No publish awaits its reply.
  bool idle() const { return inflight_ == 0; }
  /// `fn` runs once the publishes in flight have their outcome (at once when idle).
  void when_idle(std::function<void()> fn);

 private:
  void on_stdin(std::string chunk, bool eof, int error);
  void on_line(std::uint64_t number, std::string_view line, bool too_long);
  void bad_line(std::uint64_t number, const std::string& reason);
  void pump();

  asio::io_context& io_;
  LineWriter& writer_;
  const Options& options_;
  std::function<void()> done_;
  Session* session_ = nullptr;
  PublishLineParser parser_;
  LineSplitter splitter_;
  std::unique_ptr<StdinReader> reader_;
  bool reader_waiting_ = false;          // delivered a chunk, waits for grant()
  std::deque<PublishRequest> waiting_;   // parsed, held back by --max-inflight
  std::size_t inflight_ = 0;
  bool eof_ = false;
  bool stopped_ = false;
  std::uint64_t bad_lines_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t rejected_auth_ = 0;
  std::string acks_;
  std::function<void()> when_idle_;
};

class SubscribeCommand final : public Command {
 public:
  SubscribeCommand(asio::io_context& io, Scheduler& scheduler, LineWriter& writer,
                   const Options& options);

  void start() override;
  void on_message(const MessageView& message) override;
  void on_meta(const MessageView& message) override;
  void on_batch_done() override;
  void on_publish_result(const PublishResult& result) override;
  void on_established() override;
  bool output_pending() const override { return staged_ > 0 || writer_.pending() > 0; }

 private:
  void on_written(std::size_t lines) override;
  void on_exit() override;
  void stop_inputs() override { publisher_.stop(); }
  void arm_idle_timer();
  /// --replay-store: saves now, or when a second has passed since the last save (a save is
  /// fsynced, ~10 ms; positions lag stdout by a second at most, never lead it).
  void save_replay_soon();
  void save_replay();
  void stage(const MessageView& message, std::uint64_t seq);
  void flush_output() override;
  /// The end of a normal run (--count, --duration, --idle-timeout): with -i, after the
  /// publishes in flight have their outcome (2 s at most), with what they say.
  void end_normally();

  OutputFormatter formatter_;
  StdinPublisher publisher_;
  std::string staging_;  // lines of the current batch, handed to the writer at its end
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

class PublishCommand final : public Command {
 public:
  PublishCommand(asio::io_context& io, Scheduler& scheduler, LineWriter& writer,
                 const Options& options);

  void start() override;
  void on_message(const MessageView&) override {}
  void on_publish_result(const PublishResult& result) override {
    publisher_.on_publish_result(result);
  }

 private:
  void stop_inputs() override { publisher_.stop(); }

  StdinPublisher publisher_;
};

/// call URL /service/CHANNEL [DATA]: publish, then the first message back on that channel.
class CallCommand final : public Command {
 public:
  CallCommand(asio::io_context& io, Scheduler& scheduler, LineWriter& writer,
              const Options& options);

  void start() override;
  void on_message(const MessageView& message) override;
  void on_publish_result(const PublishResult& result) override;

 private:
  void send(std::string data);
  void on_stdin(std::string chunk, bool eof, int error);

  Timer duration_timer_;
  std::unique_ptr<StdinReader> reader_;
  std::string input_;  // all of stdin, when DATA is not given
  std::string line_;
};

}  // namespace cometd
