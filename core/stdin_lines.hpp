// Reading stdin: a reader thread handing chunks to the io thread, and the line splitter.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

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

/// Reads a file descriptor on its own thread, one chunk at a time: after each chunk it waits
/// for the consumer's grant(), so a consumer that stops granting stops the reading.
class StdinReader {
 public:
  /// Called on the reader thread; must hand the chunk over (asio::post) and return. An empty
  /// chunk means end of input; `error` is an errno value when reading failed.
  using Deliver = std::function<void(std::string chunk, bool eof, int error)>;

  StdinReader(int fd, Deliver deliver);
  ~StdinReader();
  StdinReader(const StdinReader&) = delete;
  StdinReader& operator=(const StdinReader&) = delete;

  void start();
  /// Allows the next read (the reader starts with one grant).
  void grant();
  /// Stops the thread, even while it waits in poll(2) for input.
  void stop();

 private:
  void run();

  int fd_;
  Deliver deliver_;
  int wake_[2] = {-1, -1};
  std::mutex mutex_;
  std::condition_variable cv_;
  bool granted_ = true;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace cometd
