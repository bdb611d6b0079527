#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include <sys/socket.h>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <memory>
#include <thread>

#include "io/stdin_lines.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("stdin");

namespace {

struct Line {
  std::uint64_t number;
  std::string text;
  bool too_long;
  bool operator==(const Line& o) const {
    return number == o.number && text == o.text && too_long == o.too_long;
  }
};

std::vector<Line> split(const std::vector<std::string>& chunks, std::size_t max = 1024 * 1024) {
  LineSplitter splitter(max);
  std::vector<Line> out;
  auto sink = [&](std::uint64_t n, std::string_view line, bool too_long) {
    out.push_back({n, std::string(line), too_long});
  };
  for (const auto& c : chunks) {
    splitter.feed(c, sink);
  }
  splitter.finish(sink);
  return out;
}

}  // namespace

TEST_CASE("lines: LF, CRLF, a last line without newline, blank lines counted but skipped") {
  const std::vector<Line> expected = {{1, "a", false}, {3, "b", false}, {4, "c", false}};
  CHECK(split({"a\n\nb\r\nc"}) == expected);
  CHECK(split({"a\n", "\n", "b\r", "\nc"}) == expected);
  CHECK(split({"a\n  \t\nb\r\nc\n"}) == expected);
}

TEST_CASE("empty input gives no line") {
  CHECK(split({}).empty());
  CHECK(split({""}).empty());
  CHECK(split({"\n\n"}).empty());
}

TEST_CASE("a line over the cap is reported once and skipped, even across chunks") {
  const std::vector<Line> expected = {{1, "", true}, {2, "ok", false}};
  CHECK(split({"0123456789\nok\n"}, 8) == expected);
  CHECK(split({"01234", "56789", "01234\nok"}, 8) == expected);
  CHECK(split({"0123456789"}, 8) == std::vector<Line>{{1, "", true}});
}

TEST_CASE("a line of exactly the cap is accepted, with or without CR") {
  CHECK(split({"12345678\n"}, 8) == std::vector<Line>{{1, "12345678", false}});
  CHECK(split({"12345678\r\n"}, 8) == std::vector<Line>{{1, "12345678", false}});
  CHECK(split({"123456789\n"}, 8) == std::vector<Line>{{1, "", true}});
}

TEST_CASE("the reader reads one chunk per grant and reports EOF") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::string> chunks;
  bool eof = false;
  StdinReader reader(fds[0], [&](std::string chunk, bool at_eof, int) {
    std::lock_guard<std::mutex> lock(m);
    if (at_eof) {
      eof = true;
    } else {
      chunks.push_back(std::move(chunk));
    }
    cv.notify_all();
  });
  reader.start();
  REQUIRE(::write(fds[1], "one\n", 4) == 4);
  {
    std::unique_lock<std::mutex> lock(m);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return chunks.size() == 1; }));
  }
  REQUIRE(::write(fds[1], "two\n", 4) == 4);
  ::close(fds[1]);
  {
    // No grant yet: nothing more is read.
    std::unique_lock<std::mutex> lock(m);
    CHECK_FALSE(cv.wait_for(lock, std::chrono::milliseconds(100), [&] { return chunks.size() > 1; }));
  }
  reader.grant();
  {
    std::unique_lock<std::mutex> lock(m);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return chunks.size() == 2; }));
  }
  reader.grant();
  {
    std::unique_lock<std::mutex> lock(m);
    REQUIRE(cv.wait_for(lock, std::chrono::seconds(5), [&] { return eof; }));
  }
  CHECK(chunks[0] == "one\n");
  CHECK(chunks[1] == "two\n");
  reader.stop();
  ::close(fds[0]);
}

TEST_CASE("stop() wakes a reader blocked waiting for input") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  StdinReader reader(fds[0], [](std::string, bool, int) {});
  reader.start();
  const auto started = std::chrono::steady_clock::now();
  reader.stop();
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST_CASE("on the io thread: a pipe and a socket are read chunk by chunk, nothing left behind") {
  // The io-thread mode's epoll registration is edge-triggered: more than a chunk waiting at
  // once (a socket buffer holds far more than 64 KiB) must still be read to the end.
  int fds[2];
  SUBCASE("pipe") { REQUIRE(::pipe(fds) == 0); }
  SUBCASE("socket") {
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
    const int size = 1 << 20;
    ::setsockopt(fds[1], SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  }
  std::string expected;
  for (int i = 0; expected.size() < 300000; ++i) {
    expected += "{\"n\":" + std::to_string(i) + "}\n";
  }
  // The writer fills what the pipe or socket takes, then blocks until the reader catches up.
  std::thread writer([&] {
    std::size_t at = 0;
    while (at < expected.size()) {
      const ssize_t n = ::write(fds[1], expected.data() + at, expected.size() - at);
      if (n <= 0) {
        break;
      }
      at += static_cast<std::size_t>(n);
    }
    ::close(fds[1]);
  });
  asio::io_context io;
  auto busy = asio::make_work_guard(io);  // if a reader thread were used, the loop waits for it
  std::string received;
  bool eof = false;
  std::size_t chunks = 0;
  std::unique_ptr<StdinReader> reader;
  reader = std::make_unique<StdinReader>(
      fds[0],
      [&](std::string chunk, bool at_eof, int) {
        asio::post(io, [&, chunk = std::move(chunk), at_eof] {
          received += chunk;
          ++chunks;
          eof = at_eof;
          if (!at_eof) {
            reader->grant();
          }
        });
      },
      &io);
  reader->start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!eof && std::chrono::steady_clock::now() < deadline) {
    io.run_for(std::chrono::milliseconds(50));
  }
  writer.join();
  CHECK(eof);
  CHECK(received == expected);
  CHECK(chunks >= 5);  // one chunk per grant, at most 64 KiB each
  // The description stdin shares with the shell and the processes after us stays blocking
  // (asio makes what it watches non-blocking: it must watch a description of its own).
  CHECK((::fcntl(fds[0], F_GETFL) & O_NONBLOCK) == 0);
  reader->stop();
  ::close(fds[0]);
}

TEST_SUITE_END();
