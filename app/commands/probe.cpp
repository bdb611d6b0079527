#include "commands/probe.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>
#include <set>

#include "bayeux/json_out.hpp"
#include "commands/run.hpp"
#include "redact.hpp"
#include "session/scheduler.hpp"
#include "session/session.hpp"

namespace cometd {

namespace {

using Clock = std::chrono::steady_clock;

struct Attempt {
  std::string type;
  bool ok = false;
  std::optional<double> handshake_ms;
  std::optional<double> connect_ms;
  std::string error;
  std::string handshake_reply;  // the server's successful handshake reply, minified
};

double millis_between(Clock::time_point from, Clock::time_point to) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(to - from).count()) /
         1000.0;
}

/// Follows one session from its handshake to its first connect reply (or its failure).
class ProbeListener final : public SessionListener {
 public:
  /// `on_own_transport` tells whether the session is on the attempt's transport (a strict
  /// WebSocket session whose upgrade was refused handshakes over long-polling only to learn
  /// what the server offers: that handshake is not the attempt's).
  ProbeListener(Attempt& attempt, std::function<bool()> on_own_transport,
                std::function<void()> finished)
      : attempt_(attempt),
        on_own_transport_(std::move(on_own_transport)),
        finished_(std::move(finished)),
        started_(Clock::now()) {}

  void on_message(const MessageView&) override {}
  void on_publish_result(const PublishResult&) override {}
  void on_meta(const MessageView& message) override {
    if (message.channel == "/meta/handshake" && message.successful && *message.successful &&
        attempt_.handshake_reply.empty() && on_own_transport_()) {
      handshake_at_ = Clock::now();
      attempt_.handshake_ms = millis_between(started_, *handshake_at_);
      append_minified(attempt_.handshake_reply, message.raw);
    }
  }
  void on_established() override {
    attempt_.ok = true;
    if (handshake_at_) {
      attempt_.connect_ms = millis_between(*handshake_at_, Clock::now());
    }
    finish();
  }
  void on_fatal(ExitCode, std::string message) override {
    attempt_.error = std::move(message);
    finish();
  }

 private:
  void finish() {
    if (auto fn = std::move(finished_)) {
      fn();
    }
  }

  Attempt& attempt_;
  std::function<bool()> on_own_transport_;
  std::function<void()> finished_;
  Clock::time_point started_;
  std::optional<Clock::time_point> handshake_at_;
};

void append_number(std::string& out, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", value);
  out += buf;
}

std::string report(const Options& options, const std::vector<Attempt>& attempts,
                   const std::set<std::string>& cookies) {
  std::string out = "{\"url\":";
  append_json_string(out, options.url_text);
  out += ",\"handshake\":";
  std::string handshake = "null";
  for (const auto& a : attempts) {
    if (!a.handshake_reply.empty()) {
      handshake = redact_json(a.handshake_reply);  // stdout, but often pasted into tickets
      break;
    }
  }
  out += handshake;
  out += ",\"transports\":{";
  bool any_ok = false;
  for (std::size_t i = 0; i < attempts.size(); ++i) {
    const Attempt& a = attempts[i];
    any_ok = any_ok || a.ok;
    out += i ? "," : "";
    append_json_string(out, a.type);
    out += a.ok ? ":{\"ok\":true" : ":{\"ok\":false";
    if (a.handshake_ms) {
      out += ",\"handshake_ms\":";
      append_number(out, *a.handshake_ms);
    }
    if (a.connect_ms) {
      out += ",\"connect_ms\":";
      append_number(out, *a.connect_ms);
    }
    if (!a.ok) {
      out += ",\"error\":";
      append_json_string(out, redact_text(a.error));
    }
    out += "}";
  }
  out += "},\"cookies\":[";
  bool first = true;
  for (const auto& name : cookies) {
    out += first ? "" : ",";
    first = false;
    append_json_string(out, name);
  }
  out += any_ok ? "],\"ok\":true}\n" : "],\"ok\":false}\n";
  return out;
}

}  // namespace

int run_probe(const Options& options, const TransportSettings& settings) {
  asio::io_context io;
  AsioScheduler scheduler(io);
  std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> uniform(0.0, 1.0);

  std::vector<Attempt> attempts;
  for (auto type : available_connection_types()) {
    Attempt a;
    a.type = std::string(type);
    attempts.push_back(std::move(a));
  }
  std::set<std::string> cookies;
  // Each transport gets its own cookie jar and session: two live sessions on one
  // BAYEUX_BROWSER cookie make CometD answer with multiple-clients advice.
  std::vector<std::unique_ptr<CookieJar>> jars;
  std::unique_ptr<ProbeListener> listener;
  std::unique_ptr<Session> session;
  std::function<void(std::size_t)> attempt;
  attempt = [&](std::size_t index) {
    if (index == attempts.size()) {
      io.stop();
      return;
    }
    Attempt& a = attempts[index];
    jars.push_back(std::make_unique<CookieJar>());
    CookieJar& jar = *jars.back();
    SessionOptions session_options;
    session_options.url = options.url_text;
    session_options.connection_types = {a.type};
    session_options.strict_connection_type = true;
    session_options.network_delay = options.network_delay;
    session_options.headers = base_headers(options);
    session_options.timeout = options.timeout.count() > 0 ? options.timeout : Millis{10000};
    listener = std::make_unique<ProbeListener>(
        a, [&session, &a] { return session->transport_name() == a.type; },
        [&, index, &jar = jar] {
      session->disconnect([&, index, &jar = jar] {
        for (const auto& name : jar.names()) {
          cookies.insert(name);
        }
        // The next attempt starts outside this session's callbacks.
        scheduler.run_after(Millis{0}, [&, index] { attempt(index + 1); });
      });
    });
    auto old = std::move(session);
    session = std::make_unique<Session>(
        session_options, scheduler,
        [&](std::string_view type) { return make_transport(type, io, settings, jar); }, *listener,
        [&] { return uniform(rng); });
    if (old) {
      scheduler.run_after(Millis{0}, [dead = std::shared_ptr<Session>(std::move(old))] {});
    }
    spdlog::info("probing {}", a.type);
    session->start({});
  };
  scheduler.run_after(Millis{0}, [&] { attempt(0); });
  io.run();

  const std::string text = report(options, attempts, cookies);
  const char* p = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t n = ::write(STDOUT_FILENO, p, left);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      if (errno != EPIPE) {
        spdlog::error("write error on stdout: {}", std::strerror(errno));
        return to_int(ExitCode::io_error);
      }
      break;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  for (const auto& a : attempts) {
    if (a.ok) {
      return to_int(ExitCode::ok);
    }
  }
  return to_int(ExitCode::unavailable);
}

}  // namespace cometd
