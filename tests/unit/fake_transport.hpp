// An in-memory transport: records what the session sends; the test answers.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "session/transport.hpp"

namespace cometd::test {

class FakeTransport final : public Transport {
 public:
  struct Sent {
    std::uint64_t tag;
    Lane lane;
    std::string body;
    std::chrono::milliseconds deadline;
  };

  explicit FakeTransport(std::string name = "long-polling", bool pipelines = false)
      : name_(std::move(name)), pipelines_(pipelines) {}

  std::string_view name() const override { return name_; }
  void open(TransportListener& listener) override { listener_ = &listener; }
  void send(std::uint64_t tag, Lane lane, std::string body,
            std::chrono::milliseconds deadline) override {
    sent.push_back({tag, lane, std::move(body), deadline});
  }
  bool pipelines_requests() const override { return pipelines_; }
  bool may_refuse_upgrade() const override { return name_ == "websocket"; }
  void set_headers(Headers h) override { headers = std::move(h); }
  void pause_reading(bool p) override { paused = p; }
  void cancel_connect() override { ++connects_cancelled; }
  void close() override { closed = true; }
  void shutdown(std::function<void()> done) override {
    closed = true;
    shutdown_done = std::move(done);  // the test decides when the teardown completes
  }

  /// Answers the oldest unanswered request with `body`.
  void reply(const std::string& body) {
    const Sent request = take();
    listener_->on_batch(request.tag, body);
  }
  /// Fails the oldest unanswered request.
  void fail(Failure failure) {
    const Sent request = take();
    listener_->on_failure(request.tag, std::move(failure));
  }
  /// Removes and returns the oldest unanswered request on `lane`.
  Sent take(Lane lane) {
    for (auto it = sent.begin(); it != sent.end(); ++it) {
      if (it->lane == lane) {
        Sent s = *it;
        sent.erase(it);
        return s;
      }
    }
    throw std::runtime_error("no request on that lane");
  }
  Sent take() {
    if (sent.empty()) {
      throw std::runtime_error("no request sent");
    }
    Sent s = sent.front();
    sent.pop_front();
    return s;
  }
  TransportListener& listener() { return *listener_; }

  std::deque<Sent> sent;
  Headers headers;
  int connects_cancelled = 0;
  bool paused = false;
  bool closed = false;
  std::function<void()> shutdown_done;

 private:
  std::string name_;
  bool pipelines_;
  TransportListener* listener_ = nullptr;
};

}  // namespace cometd::test
