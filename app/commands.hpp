// The subscribe and publish drivers: what to send, what to write, when to stop.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "builtins.hpp"
#include "exit_code.hpp"
#include "line_writer.hpp"
#include "options.hpp"
#include "output.hpp"
#include "publish_line.hpp"
#include "scheduler.hpp"
#include "session.hpp"
#include "stdin_lines.hpp"

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
  virtual void on_written(std::size_t lines) { (void)lines; }
  virtual void stop_inputs() {}

  asio::io_context& io_;
  Scheduler& scheduler_;
  LineWriter& writer_;
  const Options& options_;
  Session* session_ = nullptr;
  ReplayExtension* replay_ = nullptr;

 private:
  void finish();

  bool ending_ = false;
  bool session_closed_ = false;
  Scheduler::Clock::time_point first_signal_at_{};
  ExitCode code_ = ExitCode::ok;
  Timer drain_timer_;
};

class SubscribeCommand final : public Command {
 public:
  SubscribeCommand(asio::io_context& io, Scheduler& scheduler, LineWriter& writer,
                   const Options& options);

  void start() override;
  void on_message(const MessageView& message) override;
  void on_batch_done() override;
  void on_publish_result(const PublishResult&) override {}
  void on_established() override;
  bool output_pending() const override { return staged_ > 0 || writer_.pending() > 0; }

 private:
  void on_written(std::size_t lines) override;
  void arm_idle_timer();

  OutputFormatter formatter_;
  std::string staging_;  // lines of the current batch, handed to the writer at its end
  std::size_t staged_ = 0;
  std::uint64_t received_ = 0;
  bool paused_ = false;
  // --ext replay: the (channel, replay id) of each line not yet written, in order
  std::deque<std::pair<std::string, std::string>> replay_lines_;
  Timer duration_timer_;
  Timer idle_timer_;
};

class PublishCommand final : public Command {
 public:
  PublishCommand(asio::io_context& io, Scheduler& scheduler, LineWriter& writer,
                 const Options& options);

  void start() override;
  void on_message(const MessageView&) override {}
  void on_publish_result(const PublishResult& result) override;

 private:
  void stop_inputs() override;
  void on_stdin(std::string chunk, bool eof, int error);
  void on_line(std::uint64_t number, std::string_view line, bool too_long);
  void bad_line(std::uint64_t number, const std::string& reason);
  void pump();
  ExitCode final_code() const;

  PublishLineParser parser_;
  LineSplitter splitter_;
  std::unique_ptr<StdinReader> reader_;
  bool reader_waiting_ = false;  // delivered a chunk, waits for grant()
  std::deque<PublishRequest> waiting_;  // parsed, held back by --max-inflight
  std::size_t inflight_ = 0;
  bool eof_ = false;
  std::uint64_t bad_lines_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t rejected_auth_ = 0;
  std::string acks_;
};

}  // namespace cometd
