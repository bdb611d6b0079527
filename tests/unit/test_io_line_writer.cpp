#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "io/line_writer.hpp"

using namespace cometd;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("writer");

namespace {

struct Events {
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::pair<LineWriter::Event, std::size_t>> list;

  LineWriter::Notify notify() {
    return [this](LineWriter::Event e, std::size_t n) {
      std::lock_guard<std::mutex> lock(m);
      list.emplace_back(e, n);
      cv.notify_all();
    };
  }
  bool wait_for(LineWriter::Event e, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock<std::mutex> lock(m);
    return cv.wait_for(lock, timeout, [&] {
      for (const auto& [event, n] : list) {
        if (event == e) {
          return true;
        }
      }
      return false;
    });
  }
  std::size_t written() {
    std::lock_guard<std::mutex> lock(m);
    std::size_t total = 0;
    for (const auto& [event, n] : list) {
      total += event == LineWriter::Event::written ? n : 0;
    }
    return total;
  }
  std::size_t find(LineWriter::Event e) {
    std::lock_guard<std::mutex> lock(m);
    for (const auto& [event, n] : list) {
      if (event == e) {
        return n;
      }
    }
    return 0;
  }
};

std::string read_all(int fd) {
  std::string out;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) {
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

/// Runs `produce(writer)` against a writer on `out` (read back through `in`), then checks
/// that exactly the text it returns arrived, in order, with `lines` written events.
template <typename Produce>
void check_output(int in, int out, std::size_t lines, Produce produce) {
  Events events;
  {
    LineWriter writer(out, events.notify());
    writer.start();
    const std::string expected = produce(writer);
    std::string received;
    std::thread reader([&] { received = read_all(in); });
    CHECK(writer.drain(5s));
    ::close(out);
    reader.join();
    CHECK(received == expected);
    CHECK(events.written() == lines);
    CHECK(writer.pending() == 0);
  }
  ::close(in);
}

std::string numbered_lines(LineWriter& writer) {
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    const std::string line = "{\"n\":" + std::to_string(i) + "}\n";
    expected += line;
    writer.write(line, 1);
  }
  return expected;
}

}  // namespace

TEST_CASE("lines reach a pipe or a socket in order; the written counts add up") {
  int fds[2];
  SUBCASE("pipe") { REQUIRE(::pipe(fds) == 0); }
  SUBCASE("socket (Node.js child stdout)") {
    REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  }
  check_output(fds[0], fds[1], 1000, numbered_lines);
}

TEST_CASE("written at once or by the thread, small and big lines keep their order") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  check_output(fds[0], fds[1], 300, [](LineWriter& writer) {
    std::string expected;
    for (int i = 0; i < 100; ++i) {
      // Over PIPE_BUF: the thread's; then small ones, written at once only when it is idle.
      const std::string big = std::string(5000 + i, 'x') + "\n";
      const std::string small = "{\"n\":" + std::to_string(i) + "}\n";
      writer.write(big, 1);
      writer.write(small, 1);
      writer.write(small, 1);
      expected += big + small + small;
    }
    return expected;
  });
}

TEST_CASE("a pipe is written at once without making the shared description non-blocking") {
  // `{ cometd-cli ...; echo done; }` shares stdout's description with the shell and the
  // commands after us: O_NONBLOCK on it would make their writes fail with EAGAIN.
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  Events events;
  LineWriter writer(fds[1], events.notify());
  writer.start();
  writer.write("{\"n\":1}\n", 1);
  CHECK(events.wait_for(LineWriter::Event::written));
  CHECK((::fcntl(fds[1], F_GETFL) & O_NONBLOCK) == 0);
  char buffer[16] = {};
  CHECK(::read(fds[0], buffer, sizeof buffer) == 8);
  CHECK(std::string(buffer) == "{\"n\":1}\n");
  CHECK(writer.drain(5s));
  ::close(fds[1]);
  CHECK(::read(fds[0], buffer, sizeof buffer) == 0);  // drained: no write end of ours is left
  ::close(fds[0]);
}

TEST_CASE("write_buffer: buffers handed over keep their order with copied lines") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  check_output(fds[0], fds[1], 1500, [](LineWriter& writer) {
    std::string expected;
    std::string buffer;
    for (int i = 0; i < 500; ++i) {
      buffer += "{\"b\":" + std::to_string(i) + "}\n{\"b\":" + std::to_string(i) + "}\n";
      expected += buffer;
      writer.write_buffer(buffer, 2);
      CHECK(buffer.empty());
      const std::string line = "{\"n\":" + std::to_string(i) + "}\n";
      expected += line;
      writer.write(line, 1);
    }
    return expected;
  });
}

TEST_CASE("partial writes to a slow reader lose nothing") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  Events events;
  LineWriter writer(fds[1], events.notify());
  writer.start();
  const std::string line(1000, 'x');
  std::string expected;
  for (int i = 0; i < 2000; ++i) {  // 2 MB, far over the 64 KiB pipe buffer
    writer.write(line + "\n", 1);
    expected += line + "\n";
  }
  std::string received;
  std::thread reader([&] {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) {
      received.append(buf, static_cast<std::size_t>(n));
    }
  });
  CHECK(writer.drain(20s));
  ::close(fds[1]);
  reader.join();
  CHECK(received.size() == expected.size());
  CHECK(received == expected);
  ::close(fds[0]);
}

TEST_CASE("a reader that goes away while idle is noticed without a write (POLLERR)") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  Events events;
  LineWriter writer(fds[1], events.notify());
  writer.start();
  ::close(fds[0]);
  CHECK(events.wait_for(LineWriter::Event::closed));
  ::close(fds[1]);
}

TEST_CASE("EPIPE on write is a clean close") {
  std::signal(SIGPIPE, SIG_IGN);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ::close(fds[0]);
  Events events;
  LineWriter writer(fds[1], events.notify());
  writer.write("line\n", 1);  // queued before start: the first thing the thread does is write
  writer.start();
  CHECK(events.wait_for(LineWriter::Event::closed));
  ::close(fds[1]);
}

TEST_CASE("any other write error is reported with its errno (/dev/full)") {
  const int fd = ::open("/dev/full", O_WRONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  Events events;
  LineWriter writer(fd, events.notify());
  writer.start();
  writer.write("line\n", 1);
  REQUIRE(events.wait_for(LineWriter::Event::failed));
  CHECK(events.find(LineWriter::Event::failed) == ENOSPC);
  ::close(fd);
}

TEST_CASE("drain gives up at its deadline when the reader has stopped reading") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  Events events;
  auto writer = std::make_unique<LineWriter>(fds[1], events.notify());
  writer->start();
  writer->write(std::string(1 << 20, 'x') + "\n", 1);  // over the pipe buffer; nobody reads
  const auto started = std::chrono::steady_clock::now();
  CHECK_FALSE(writer->drain(200ms));
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  // Unblock the stuck thread so that the test can end cleanly.
  std::thread reader([&] { read_all(fds[0]); });
  CHECK(writer->drain(5s));
  ::close(fds[1]);
  reader.join();
  ::close(fds[0]);
}

TEST_SUITE_END();
