#include "commands/probe.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <random>
#include <set>

#include "bayeux/json_out.hpp"
#include "commands/probe_report.hpp"
#include "io/fd_write.hpp"
#include "commands/run.hpp"
#include "duration.hpp"
#include "redact.hpp"
#include "session/scheduler.hpp"
#include "session/session.hpp"

namespace cometd {

namespace {

using Clock = std::chrono::steady_clock;

constexpr Millis k_disconnect_allowance{250};  // the sessions' own give-up comes first

class ProbeListener;

/// One transport's try, and what it found.
struct Attempt {
  std::string type;
  bool ok = false;
  std::optional<double> handshake_ms;
  std::optional<double> connect_ms;
  std::optional<double> roundtrip_ms;
  std::string roundtrip_error;
  std::string error;  // as for stderr: control bytes escaped
  ExitCode code = ExitCode::ok;
  std::string handshake_reply;  // the server's successful handshake reply, minified
  CookieJar jar;
  std::unique_ptr<ProbeListener> listener;
  std::unique_ptr<Session> session;  // last: it goes first, before what it uses
};

double millis_between(Clock::time_point from, Clock::time_point to) {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(to - from).count()) /
         1000.0;
}

/// Follows one session from its handshake to its first connect reply and the round trip of a
/// message published to a private channel (or its failure).
class ProbeListener final : public SessionListener {
 public:
  /// `on_own_transport` tells whether the session is on the attempt's transport (a strict
  /// WebSocket session whose upgrade was refused handshakes over long-polling only to learn
  /// what the server offers: that handshake is not the attempt's). `publish` sends the round
  /// trip's message.
  ProbeListener(Attempt& attempt, std::string channel, std::function<bool()> on_own_transport,
                std::function<void()> publish, std::function<void()> finished)
      : attempt_(attempt),
        channel_(std::move(channel)),
        on_own_transport_(std::move(on_own_transport)),
        publish_(std::move(publish)),
        finished_(std::move(finished)),
        started_(Clock::now()) {}

  void on_message(const MessageView& message) override {
    if (message.channel == channel_ && published_at_ && !attempt_.roundtrip_ms) {
      attempt_.roundtrip_ms = millis_between(*published_at_, Clock::now());
      finish_when_complete();
    }
  }
  void on_publish_result(const PublishResult& result) override {
    if (!result.successful && attempt_.roundtrip_error.empty()) {
      attempt_.roundtrip_error = "publish refused: " + result.error;
      finish_when_complete();
    }
  }
  void on_meta(const MessageView& message) override {
    if (message.channel == "/meta/handshake" && message.successful && *message.successful &&
        attempt_.handshake_reply.empty() && on_own_transport_()) {
      handshake_at_ = Clock::now();
      attempt_.handshake_ms = millis_between(started_, *handshake_at_);
      append_minified(attempt_.handshake_reply, message.raw);
    }
    if (message.channel == "/meta/subscribe" && message.successful && *message.successful &&
        !published_at_ && on_own_transport_()) {
      published_at_ = Clock::now();
      publish_();
    }
  }
  void on_established() override {
    attempt_.ok = true;
    if (handshake_at_) {
      attempt_.connect_ms = millis_between(*handshake_at_, Clock::now());
    }
    finish_when_complete();
  }
  void on_fatal(ExitCode code, std::string message) override {
    if (done_) {
      return;  // the first outcome stands
    }
    if (attempt_.ok) {
      // Connected: only the round trip is missing (the deadline, a refused subscription).
      attempt_.roundtrip_error = std::move(message);
      finish();
      return;
    }
    attempt_.error = std::move(message);
    attempt_.code = code;
    finish();
  }

 private:
  void finish_when_complete() {
    if (!done_ && attempt_.ok && (attempt_.roundtrip_ms || !attempt_.roundtrip_error.empty())) {
      finish();
    }
  }
  void finish() {
    done_ = true;
    if (auto fn = std::move(finished_)) {
      fn();
    }
  }

  Attempt& attempt_;
  std::string channel_;
  std::function<bool()> on_own_transport_;
  std::function<void()> publish_;
  std::function<void()> finished_;
  Clock::time_point started_;
  std::optional<Clock::time_point> handshake_at_;
  std::optional<Clock::time_point> published_at_;
  bool done_ = false;
};

/// `error` as the text it stands for: the session escapes control bytes as \xHH for stderr,
/// and the JSON report escapes them itself (a web page's lines become \n, not \x0a).
std::string unescaped(std::string_view error) {
  std::string out;
  out.reserve(error.size());
  for (std::size_t i = 0; i < error.size(); ++i) {
    if (error[i] == '\\' && i + 3 < error.size() && error[i + 1] == 'x' &&
        std::isxdigit(static_cast<unsigned char>(error[i + 2])) &&
        std::isxdigit(static_cast<unsigned char>(error[i + 3]))) {
      const int byte = std::stoi(std::string(error.substr(i + 2, 2)), nullptr, 16);
      if (byte < 0x20 || byte == 0x7f) {
        out.push_back(static_cast<char>(byte));
        i += 3;
        continue;
      }
    }
    out.push_back(error[i]);
  }
  return out;
}

/// The one stderr line of a probe where no transport works.
std::string failure_line(const std::vector<std::unique_ptr<Attempt>>& attempts) {
  bool all_same = true;
  for (const auto& a : attempts) {
    all_same = all_same && a->error == attempts.front()->error;
  }
  if (all_same) {
    return "probe: no transport works: " + attempts.front()->error;
  }
  std::string line = "probe: no transport works";
  for (const auto& a : attempts) {
    line += (&a == &attempts.front() ? ": " : "; ") + a->type + ": " + a->error;
  }
  return line;
}

}  // namespace

int run_probe(const Options& options, const TransportSettings& settings) {
  asio::io_context io;
  AsioScheduler scheduler(io);
  std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> uniform(0.0, 1.0);

  // Every transport of --connection-type at once, each with its own cookie jar and session:
  // two live sessions on one BAYEUX_BROWSER cookie make CometD answer with multiple-clients
  // advice. A dead server then costs one --timeout in all.
  std::vector<std::unique_ptr<Attempt>> attempts;
  for (const auto& type : options.connection_types) {
    attempts.push_back(std::make_unique<Attempt>());
    attempts.back()->type = type;
  }
  // The round trip's channel: private to this run, so that nobody else's message answers it.
  char suffix[20];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(rng()));
  const std::string channel = std::string("/cometd-cli/probe/") + suffix;
  std::set<std::string> cookies;
  std::size_t unfinished = attempts.size();
  auto all_done = [&] {
    if (--unfinished == 0) {
      // After what the transports queued with their last callback (a WebSocket lets go of
      // its connection in a handler posted after it): stopping at once would leak that.
      asio::post(io, [&io] { io.stop(); });
    }
  };
  for (auto& owned : attempts) {
    Attempt& a = *owned;
    SessionOptions session_options;
    session_options.url = options.url_text;
    session_options.connection_types = {a.type};
    session_options.strict_connection_type = true;
    session_options.network_delay = options.network_delay;
    session_options.headers = base_headers(options);
    session_options.timeout = options.timeout;
    session_options.reconnect_timeout = options.timeout;
    a.listener = std::make_unique<ProbeListener>(
        a, channel, [&a] { return a.session->transport_name() == a.type; },
        [&a, &channel] {
          PublishRequest request;
          request.channel = channel;
          request.data = "{\"probe\":\"" + a.type + "\"}";
          a.session->publish(std::move(request));
        },
        [&a, &cookies, &all_done] {
          a.session->disconnect([&a, &cookies, &all_done] {
            for (const auto& name : a.jar.names()) {
              cookies.insert(name);
            }
            all_done();
          });
        });
    a.session = std::make_unique<Session>(
        session_options, scheduler,
        [&io, &settings, &a](std::string_view type) {
          return make_transport(type, io, settings, a.jar);
        },
        *a.listener, [&] { return uniform(rng); });
  }
  // The one --timeout of the whole probe (0: as long as it takes): an attempt still going
  // then is a failure, said so.
  Timer deadline(scheduler);
  if (options.timeout.count() > 0) {
    deadline.arm(options.timeout + k_disconnect_allowance, [&] {
      const std::string within = " within " + format_duration(options.timeout);
      for (auto& a : attempts) {
        a->listener->on_fatal(ExitCode::unavailable,
                              a->ok ? "the message published to " + channel +
                                          " did not come back" + within
                                    : "no answer from " + options.url_text + within);
      }
    });
  }
  for (auto& a : attempts) {
    spdlog::info("probing {}", a->type);
    a->session->start({channel});
  }
  io.run();

  ProbeResult result;
  result.url = options.url_text;
  result.cookies = std::move(cookies);
  bool any_auth = false;
  bool only_auth_or_unavailable = true;
  for (const auto& a : attempts) {
    if (result.handshake.empty() && !a->handshake_reply.empty()) {
      result.handshake = redact_json(a->handshake_reply);  // stdout, but often pasted into tickets
    }
    ProbeTransport t;
    t.type = a->type;
    t.ok = a->ok;
    t.handshake_ms = a->handshake_ms;
    t.connect_ms = a->connect_ms;
    t.roundtrip_ms = a->roundtrip_ms;
    t.error = redact_text(unescaped(a->error));
    t.roundtrip_error = redact_text(unescaped(a->roundtrip_error));
    result.transports.push_back(std::move(t));
    any_auth = any_auth || a->code == ExitCode::auth;
    only_auth_or_unavailable = only_auth_or_unavailable &&
                               (a->code == ExitCode::auth || a->code == ExitCode::unavailable);
  }
  // 77 when the server refused the handshakes for authentication; a transport it does not
  // offer at all (a refused WebSocket upgrade) refused no handshake.
  const bool auth_refused = !result.ok() && any_auth && only_auth_or_unavailable;
  std::string text;
  std::optional<int> nagios_code;
  switch (options.probe_format) {
    case Options::ProbeFormat::json:
      text = probe_json(result);
      break;
    case Options::ProbeFormat::text:
      text = probe_text(result);
      break;
    case Options::ProbeFormat::prometheus:
      text = probe_prometheus(result);
      break;
    case Options::ProbeFormat::nagios: {
      NagiosReport report = probe_nagios(result, options.probe_warn, options.probe_crit,
                                         auth_refused);
      text = std::move(report.text);
      nagios_code = report.code;
      break;
    }
  }
  int error = 0;
  if (!write_fully(STDOUT_FILENO, text, error) && error != EPIPE) {
    spdlog::error("write error on stdout: {}", std::strerror(error));
    return nagios_code ? 3 : to_int(ExitCode::io_error);  // UNKNOWN: nothing was said
  }
  if (nagios_code) {
    return *nagios_code;  // the status line says why
  }
  if (result.ok()) {
    return to_int(ExitCode::ok);
  }
  spdlog::error("{}", failure_line(attempts));
  return to_int(auth_refused ? ExitCode::auth : ExitCode::unavailable);
}

}  // namespace cometd
