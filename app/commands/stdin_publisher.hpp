// Publishing what stdin says (publish, subscribe -i) or the command line's DATA.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "cli/options.hpp"
#include "exit_code.hpp"
#include "io/line_sink.hpp"
#include "io/publish_line.hpp"
#include "io/stdin_lines.hpp"
#include "session/session.hpp"

namespace asio {
class io_context;
}

namespace cometd {

/// Starts reading `fd` (stdin); each chunk reaches `on_chunk(chunk, eof, error)` on the io
/// thread.
std::unique_ptr<StdinReader> start_stdin(asio::io_context& io, int fd,
                                         StdinReader::Deliver on_chunk);

/// Publishing what stdin says (publish, subscribe -i) or one message (publish CHANNEL DATA):
/// lines parsed and reported, publishes held back by --max-inflight, stdin read no further
/// than that, replies reported per line and (--acks) written to stdout, one record per line
/// (bad lines included) in line order.
class StdinPublisher {
 public:
  /// `done` runs once stdin is at its end and every publish has its outcome.
  StdinPublisher(asio::io_context& io, LineSink& out, int input_fd, const Options& options,
                 std::function<void()> done);
  void attach(Session& session) { session_ = &session; }
  /// `fn(count)` runs just before `count` --acks records go to stdout.
  void before_records(std::function<void(std::size_t)> fn) { before_records_ = std::move(fn); }

  /// Starts reading stdin.
  void start_reading();
  /// Publishes the command line's DATA to CHANNEL, as stdin line 1.
  void publish_one();
  /// No more stdin: what is parsed is still published.
  void stop_reading();
  /// Nothing more at all: the run is ending.
  void stop();
  void on_publish_result(const PublishResult& result);

  /// The reader of stdout went away (--acks): no more stdin is read, what is parsed and not
  /// sent is dropped, the publishes in flight are awaited; `done` follows.
  void output_closed();
  /// After output_closed(): "stdout is closed: N stdin lines were not published", or empty
  /// when every line was.
  std::string unpublished_report() const;
  /// What the publishing says about the run: 1 when stdin lines were left unpublished, 77 or
  /// 1 for rejected publishes, 65 for bad lines, else 0.
  ExitCode outcome() const;
  /// No publish awaits its reply.
  bool idle() const { return inflight_ == 0; }
  /// `fn` runs once the publishes in flight have their outcome (at once when idle).
  void when_idle(std::function<void()> fn);

 private:
  void on_stdin(std::string chunk, bool eof, int error);
  void on_line(std::uint64_t number, std::string_view line, bool too_long);
  void bad_line(std::uint64_t number, const PublishRequest& request, const std::string& reason);
  void pump();
  /// --acks: the record of line `ticket`, written once every earlier line has its own.
  void add_record(std::uint64_t ticket, std::string_view channel, std::string_view id,
                  bool successful, std::string_view error);

  asio::io_context& io_;
  LineSink& out_;
  int input_fd_;
  const Options& options_;
  std::function<void()> done_;
  Session* session_ = nullptr;
  PublishLineParser parser_;
  LineSplitter splitter_;
  std::unique_ptr<StdinReader> reader_;
  bool reader_waiting_ = false;          // delivered a chunk, waits for grant()
  std::deque<PublishRequest> waiting_;   // parsed, held back by --max-inflight
  std::size_t inflight_ = 0;
  bool eof_ = false;          // no more stdin is taken
  bool input_ended_ = false;  // ... because stdin was read to its end
  bool stopped_ = false;
  bool dropped_given_ = false;  // output_closed()
  std::size_t dropped_ = 0;     // lines parsed and never sent
  std::uint64_t bad_lines_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t rejected_auth_ = 0;
  std::deque<std::uint64_t> record_order_;        // --acks: lines without their record yet
  std::map<std::uint64_t, std::string> records_;  // --acks: records waiting for earlier ones
  std::string acks_;
  std::function<void(std::size_t)> before_records_;
  std::function<void()> when_idle_;
};

}  // namespace cometd
