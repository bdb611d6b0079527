// A command wired to a session on a fake transport, a fake stdout and a pipe for stdin: what a
// command writes and when it ends, without a server or a terminal.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "commands/command.hpp"
#include "io/line_sink.hpp"
#include "session_harness.hpp"

namespace cometd::test {

/// stdout as a string. `pending` stands for lines the reader has not taken yet.
class FakeSink final : public LineSink {
 public:
  void write(std::string_view text, std::size_t count) override {
    if (!ended) {
      text_.append(text);
      lines += count;
    }
  }
  void write_buffer(std::string& text, std::size_t count) override {
    write(text, count);
    text.clear();
  }
  std::size_t pending() const override { return 0; }
  void close() override {
    closed = true;
    if (on_close) {
      on_close();
    }
  }

  /// The lines written so far, without their '\n'.
  std::vector<std::string> records() const {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (auto end = text_.find('\n'); end != std::string::npos; end = text_.find('\n', start)) {
      out.push_back(text_.substr(start, end - start));
      start = end + 1;
    }
    return out;
  }

  std::size_t lines = 0;
  bool closed = false;
  bool ended = false;  // the reader went away: lines are dropped
  std::function<void()> on_close;

 private:
  std::string text_;
};

/// A command of `Make` on a session whose transport the test answers; stdin is a pipe that
/// holds `input` (closed after it unless `keep_open`).
class CommandRig {
 public:
  template <typename Make>
  CommandRig(Options options, const std::string& input, Make make, bool keep_open = false)
      : options_(std::move(options)) {
    int fds[2] = {-1, -1};
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe2");
    }
    input_fd_ = fds[0];
    input_writer_ = fds[1];
    write_input(input);
    if (!keep_open) {
      close_input();
    }
    command = make(CommandContext{io, scheduler, sink, input_fd_}, options_);
    sink.on_close = [this] {
      asio::post(io, [this] { command->on_output_event(LineSink::Event::drained, 0); });
    };
    SessionOptions session_options;
    session_options.url = "http://server/cometd";
    session_options.connection_types = {"long-polling"};
    session_options.connect_loop =
        !(options_.command == Options::Command::publish && options_.data.has_value());
    session = std::make_unique<Session>(
        session_options, scheduler,
        [this](std::string_view type) -> std::unique_ptr<Transport> {
          auto t = std::make_unique<FakeTransport>(std::string(type), false);
          transport = t.get();
          return t;
        },
        *command, [] { return 0.5; });
    command->attach(*session);
  }

  ~CommandRig() {
    command.reset();  // its stdin reader goes before the descriptors
    session.reset();
    for (int fd : {input_fd_, input_writer_}) {
      if (fd >= 0) {
        ::close(fd);
      }
    }
  }

  void write_input(const std::string& text) {
    if (!text.empty() && ::write(input_writer_, text.data(), text.size()) !=
                             static_cast<ssize_t>(text.size())) {
      throw std::runtime_error("cannot fill the stdin pipe");
    }
  }
  void close_input() {
    ::close(input_writer_);
    input_writer_ = -1;
  }

  /// Runs the io loop and the zero-delay timers until `done` holds or the io loop stopped
  /// (2 s of wall-clock time at most: stdin arrives through the real reactor).
  bool run_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!done()) {
      if (io.stopped() || std::chrono::steady_clock::now() > deadline) {
        return done();
      }
      io.run_for(std::chrono::milliseconds(5));
      scheduler.run_ready();
    }
    return true;
  }
  /// Runs until no request is waiting on `lane` becomes false, i.e. one was sent.
  bool run_until_sent(Lane lane) {
    return run_until([this, lane] {
      for (const auto& s : transport->sent) {
        if (s.lane == lane) {
          return true;
        }
      }
      return false;
    });
  }
  /// Runs until the command has ended and the io loop stopped.
  bool run_to_end() { return run_until([this] { return io.stopped(); }); }

  /// A successful handshake reply.
  void handshake_ok() {
    auto hs = transport->take(Lane::request);
    transport->listener().on_batch(
        hs.tag, R"([{"id":")" + field(hs.body, 0, "id") +
                    R"(","channel":"/meta/handshake","successful":true,"clientId":"c1",)"
                    R"("version":"1.0","supportedConnectionTypes":["long-polling"],)"
                    R"("advice":{"reconnect":"retry","interval":0,"timeout":30000}}])");
  }
  /// Answers the oldest request on `lane`: each message gets `reply(channel, id)` (a whole
  /// reply object), then `extra` (JSON objects separated by commas) follow.
  void answer(Lane lane,
              const std::function<std::string(const std::string&, const std::string&)>& reply,
              const std::string& extra = "") {
    auto request = transport->take(lane);
    std::string body = "[";
    const std::size_t n = message_count(request.body);
    for (std::size_t i = 0; i < n; ++i) {
      body += i ? "," : "";
      body += reply(field(request.body, i, "channel"), field(request.body, i, "id"));
    }
    if (!extra.empty()) {
      body += (n ? "," : "") + extra;
    }
    body += "]";
    transport->listener().on_batch(request.tag, body);
  }
  /// Answers the oldest request on `lane` with a successful reply to each of its messages.
  void ok(Lane lane, const std::string& extra = "") {
    answer(
        lane,
        [](const std::string& channel, const std::string& id) {
          return R"({"id":")" + id + R"(","channel":")" + channel + R"(","successful":true})";
        },
        extra);
  }
  /// Messages of the oldest request on `lane`, without taking it.
  std::size_t messages_sent(Lane lane) const {
    for (const auto& s : transport->sent) {
      if (s.lane == lane) {
        return message_count(s.body);
      }
    }
    return 0;
  }
  /// The transport's teardown completes (what the real ones do after a close).
  void shut_down() {
    if (transport->shutdown_done) {
      auto done = std::move(transport->shutdown_done);
      done();
    }
  }

  asio::io_context io;
  FakeScheduler scheduler;
  FakeSink sink;
  std::unique_ptr<Command> command;
  std::unique_ptr<Session> session;
  FakeTransport* transport = nullptr;

 private:
  Options options_;
  int input_fd_ = -1;
  int input_writer_ = -1;
};

}  // namespace cometd::test
