// Reading stdin: a reader thread handing chunks to the io thread, and the line splitter.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace asio {
class io_context;
}

namespace cometd {

/// Splits a byte stream into numbered lines: LF or CRLF terminated, the last line may lack
/// its newline, blank lines are skipped (but counted), a line over the cap is reported once.
class LineSplitter {
 public:
  static constexpr std::size_t k_default_max_line = 1024 * 1024;  // 1 MiB

  /// `line` is valid during the call; `too_long` set: the line was over the cap (and `line`
  /// empty).
  using Sink = std::function<void(std::uint64_t number, std::string_view line, bool too_long)>;

  explicit LineSplitter(std::size_t max_line = k_default_max_line) : max_line_(max_line) {}

  void feed(std::string_view chunk, const Sink& sink);
  /// End of input: emits a last line that had no newline.
  void finish(const Sink& sink);
  std::size_t max_line() const { return max_line_; }

 private:
  void emit(std::string_view line, const Sink& sink);

  std::size_t max_line_;
  std::string partial_;
  std::uint64_t number_ = 0;
  bool discarding_ = false;  // inside a line already reported as too long
};

/// Reads a file descriptor one chunk at a time: after each chunk it waits for the consumer's
/// grant(), so a consumer that stops granting stops the reading. A pipe or a socket is watched
/// by the io thread itself (readiness from epoll, then one read that cannot block, with the
/// flags of stdin's shared description untouched); anything else (a file, a terminal) is read
/// on a thread of its own. grant() and stop() are called on the io thread.
class StdinReader {
 public:
  /// Called on the reader thread or the io thread; must hand the chunk over (asio::post) and
  /// return. An empty chunk means end of input; `error` is an errno value when reading failed.
  using Deliver = std::function<void(std::string chunk, bool eof, int error)>;

  /// Without `io`, always the thread.
  StdinReader(int fd, Deliver deliver, asio::io_context* io = nullptr);
  ~StdinReader();
  StdinReader(const StdinReader&) = delete;
  StdinReader& operator=(const StdinReader&) = delete;

  void start();
  /// Allows the next read (the reader starts with one grant).
  void grant();
  /// Stops the thread, even while it waits in poll(2) for input.
  void stop();

 private:
  struct Watch;  // the io-thread mode
  void run();
  /// One read(2) of what is there: the chunk, or empty with `eof`/`error` set.
  std::string read_chunk(bool& eof, int& error, bool& again);
  void watch();

  int fd_;
  Deliver deliver_;
  asio::io_context* io_;
  std::unique_ptr<Watch> watch_;
  int wake_[2] = {-1, -1};
  std::mutex mutex_;
  std::condition_variable cv_;
  bool granted_ = true;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cometd
