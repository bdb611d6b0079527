#include "websocket.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <cstdlib>
#include <deque>
#include <iostream>
#include <sstream>
#include <string_view>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include "header_field.hpp"
#include "http_reply_parser.hpp"
#include "redact.hpp"
#include "trace.hpp"

namespace cometd {

// websocketpp's stock client configurations, with bigger reads (a Bayeux batch is often
// larger than 16 KiB). Their own types, so that the specialisation below applies to them only.
struct WsPlainConfig : websocketpp::config::asio_client {
  using type = WsPlainConfig;
  static const std::size_t connection_read_buffer_size = 65536;
};
struct WsTlsConfig : websocketpp::config::asio_tls_client {
  using type = WsTlsConfig;
  static const std::size_t connection_read_buffer_size = 65536;
};

}  // namespace cometd

namespace websocketpp::processor {

// websocketpp checks the UTF-8 of text frames a byte at a time (a DFA step per byte: 57 % of
// the client's instructions at 1 M msgs/s). BatchParser validates every reply's UTF-8 anyway,
// with simdjson's SIMD validator, and rejects the whole reply when it is invalid; so the
// payload is only unmasked and copied here, as in websocketpp's own function otherwise.
// (No permessage-deflate: the stock client configurations disable it.)
inline std::size_t copy_payload(std::uint8_t* buf, std::size_t len, bool masked,
                                std::size_t& prepared_key, std::string& payload,
                                std::size_t& bytes_needed) {
  if (masked) {
    prepared_key = frame::byte_mask_circ(buf, len, prepared_key);
  }
  payload.append(reinterpret_cast<char*>(buf), len);
  bytes_needed -= len;
  return len;
}

template <>
inline std::size_t hybi13<cometd::WsPlainConfig>::process_payload_bytes(std::uint8_t* buf,
                                                                       std::size_t len,
                                                                       lib::error_code&) {
  return copy_payload(buf, len, frame::get_masked(m_basic_header), m_current_msg->prepared_key,
                      m_current_msg->msg_ptr->get_raw_payload(), m_bytes_needed);
}

template <>
inline std::size_t hybi13<cometd::WsTlsConfig>::process_payload_bytes(std::uint8_t* buf,
                                                                      std::size_t len,
                                                                      lib::error_code&) {
  return copy_payload(buf, len, frame::get_masked(m_basic_header), m_current_msg->prepared_key,
                      m_current_msg->msg_ptr->get_raw_payload(), m_bytes_needed);
}

}  // namespace websocketpp::processor

namespace cometd {

namespace {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

constexpr Millis k_close_wait{1000};  // the close handshake, before the socket is just closed
constexpr long k_pong_timeout_ms = 10000;

bool is_tls_error(const std::error_code& ec) {
  namespace socket_error = websocketpp::transport::asio::socket;
  return ec == socket_error::make_error_code(socket_error::error::tls_handshake_failed) ||
         ec == socket_error::make_error_code(socket_error::error::tls_handshake_timeout) ||
         ec == websocketpp::transport::error::make_error_code(
                   websocketpp::transport::error::tls_short_read) ||
         std::string_view(ec.category().name()).find("ssl") != std::string_view::npos;
}

/// The server is not there (down, restarting): the TCP connection itself failed.
bool is_refusal(const std::error_code& ec) {
  return ec == asio::error::connection_refused || ec == asio::error::connection_reset ||
         ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again ||
         ec == asio::error::network_unreachable || ec == asio::error::host_unreachable;
}

/// The status and reason of websocketpp's "Proxy connection error: 403 (Forbidden)" line.
bool proxy_connect_status(const std::string& log, int& status, std::string& reason) {
  static constexpr std::string_view k_line = "Proxy connection error: ";
  const std::size_t at = log.rfind(k_line);
  if (at == std::string::npos) {
    return false;
  }
  const char* p = log.c_str() + at + k_line.size();
  char* end = nullptr;
  const long code = std::strtol(p, &end, 10);
  if (end == p || code < 100 || code > 999) {
    return false;
  }
  status = static_cast<int>(code);
  const std::size_t open = log.find(" (", static_cast<std::size_t>(end - log.c_str()));
  const std::size_t close = log.find(")\n", open);
  reason = open == std::string::npos || close == std::string::npos
               ? std::string()
               : log.substr(open + 2, close - open - 2);
  return true;
}

template <typename Config>
struct Socket : std::enable_shared_from_this<Socket<Config>> {
  using Client = websocketpp::client<Config>;
  using ConnectionPtr = typename Client::connection_ptr;
  using MessagePtr = typename Client::message_ptr;

  enum class Phase { idle, connecting, open, closing, done };

  Socket(asio::io_context& io_context, WebSocketSettings ws_settings, CookieJar& cookie_jar)
      : io(io_context),
        settings(std::move(ws_settings)),
        jar(cookie_jar),
        ping_timer(io_context),
        close_timer(io_context),
        verify(std::make_shared<TlsVerifyResult>()) {}

  asio::io_context& io;
  WebSocketSettings settings;
  CookieJar& jar;
  Client client;
  // While connecting or open, the connection's handlers hold this object and `con` holds the
  // connection: a cycle on purpose, broken at the terminal event (fail or close handler), so
  // that the endpoint outlives every handler websocketpp may still run.
  ConnectionPtr con;
  TransportListener* listener = nullptr;
  bool reporting = true;  // false after close(): nothing more reaches the listener
  Phase phase = Phase::idle;
  std::deque<std::pair<std::uint64_t, std::string>> queued;  // sent before the socket opened
  asio::steady_timer ping_timer;
  asio::steady_timer close_timer;
  Clock::time_point last_frame{};
  bool paused = false;
  std::shared_ptr<TlsVerifyResult> verify;
  std::shared_ptr<asio::ssl::context> tls_context;
  std::function<void()> on_closed;
  std::string where;        // host:port of the server, IPv6 in brackets
  std::string proxy_where;  // of the proxy, when there is one
  // websocketpp tells the proxy's answer to CONNECT only in its info log: kept here to read.
  std::ostringstream proxy_log;

  // Opened at the first send, so that the upgrade carries the headers the extension plugins
  // set for that first batch.
  void start();
  void send(std::uint64_t tag, std::string body);
  void close();
  void report(Failure failure);
  void finished();
  void arm_ping();
  Failure open_failure();
  void force_close();
  void set_paused(bool p);
  void apply_pause();
  /// --trace: the status and headers that answered the upgrade.
  void trace_upgrade_reply();

  bool in_read_handler = false;  // inside the message handler: no socket read is pending
  bool reading_paused = false;   // websocketpp's read flag is off
};

// websocketpp's pause_reading() only posts the change, so the read loop issues one more read
// first, and resume_reading() then starts a second, concurrent read that corrupts the stream.
// The flag is therefore changed synchronously, and only where no read is pending: in the open
// handler and in the message handler, before the read loop asks for more.
template <typename Config>
void Socket<Config>::apply_pause() {
  con->handle_pause_reading();
  reading_paused = true;
}

template <typename Config>
void Socket<Config>::trace_upgrade_reply() {
  if (!tracing()) {
    return;
  }
  const auto& response = con->get_response();
  TraceRecord::Headers headers;
  for (const auto& [name, value] : response.get_headers()) {
    headers.emplace_back(name, value);
  }
  TraceRecord record("ws.upgraded");
  record.number("status", static_cast<int>(con->get_response_code())).headers("headers", headers);
  if (!response.get_body().empty()) {
    record.payload("body", response.get_body());
  }
}

template <typename Config>
void Socket<Config>::set_paused(bool p) {
  paused = p;
  if (phase != Phase::open) {
    return;  // applied in the open handler
  }
  if (p && in_read_handler) {
    apply_pause();
  } else if (!p && reading_paused) {
    reading_paused = false;
    con->handle_resume_reading();
  }
  // A pause asked for outside the message handler takes effect at the next frame.
}

template <typename Config>
void configure_tls(Socket<Config>&) {}

template <>
void configure_tls(Socket<WsTlsConfig>& s) {
  s.client.set_tls_init_handler([&s](websocketpp::connection_hdl) { return s.tls_context; });
}

template <typename Config>
void Socket<Config>::start() {
  phase = Phase::connecting;
  where = settings.url.origin().substr(settings.url.scheme.size() + 3);
  if (settings.proxy) {
    proxy_where = settings.proxy->origin().substr(settings.proxy->scheme.size() + 3);
  }
  std::error_code ec;
  client.init_asio(&io, ec);
  if (!ec) {
    // Our own lines go to stderr through spdlog; websocketpp's logs stay silent, and would go
    // to stderr if ever enabled.
    client.clear_access_channels(websocketpp::log::alevel::all);
    client.clear_error_channels(websocketpp::log::elevel::all);
    client.get_alog().set_ostream(&std::cerr);
    client.get_elog().set_ostream(&std::cerr);
    if (settings.proxy) {
      client.set_error_channels(websocketpp::log::elevel::info);
      client.get_elog().set_ostream(&proxy_log);
    }
    client.set_user_agent("cometd-cli");
    client.set_socket_init_handler([](websocketpp::connection_hdl, auto& socket) {
      std::error_code ignored;
      socket.lowest_layer().set_option(asio::ip::tcp::no_delay(true), ignored);
    });
    // asio opens sockets without close-on-exec: a helper started later (--auth-command)
    // must not inherit this one (it is also closed in the helper, whatever the timing).
    client.set_tcp_post_init_handler([this](websocketpp::connection_hdl) {
      if (con) {
        const int fd = con->get_raw_socket().native_handle();
        ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
      }
    });
    configure_tls(*this);
  }
  if (settings.url.tls()) {
    std::string error;
    tls_context = make_tls_context(settings.tls, settings.url.host, verify, error);
    if (!tls_context) {
      Failure f;
      f.kind = Failure::Kind::tls;
      f.detail = error;
      phase = Phase::done;
      report(std::move(f));
      return;
    }
  }
  if (!ec) {
    if (settings.proxy && settings.url.host.find(':') != std::string::npos) {
      // websocketpp writes CONNECT host:port without the brackets of an IPv6 literal; a URI
      // that keeps them is right for the proxy, which is all that is resolved here.
      auto uri = std::make_shared<websocketpp::uri>(
          settings.url.tls(), "[" + settings.url.host + "]",
          static_cast<std::uint16_t>(settings.url.port), settings.url.target);
      con = client.get_connection(uri, ec);
    } else {
      con = client.get_connection(settings.url.str(), ec);
    }
  }
  if (ec) {
    Failure f;
    f.kind = Failure::Kind::network;
    f.detail = "cannot open a WebSocket to " + where + ": " + ec.message();
    phase = Phase::done;
    report(std::move(f));
    return;
  }
  Headers headers = settings.headers;
  merge_cookie_header(headers, jar.header_for(settings.url));
  for (const auto& [name, value] : headers) {
    if (!is_header_name(name) || !is_header_value(value)) {
      continue;  // refused where it came in (-H, --auth-command, plugins); never on the wire
    }
    con->append_header(name, value);
  }
  if (tracing()) {
    TraceRecord record("ws.upgrade");
    record.url("url", settings.url.str());
    if (settings.proxy) {
      record.url("proxy", settings.proxy->str());
    }
    record.headers("headers", headers);
  }
  if (spdlog::should_log(spdlog::level::trace)) {
    spdlog::trace("[websocket] GET {} (upgrade)", settings.url.str());
    for (const auto& [name, value] : settings.headers) {
      spdlog::trace("[websocket] > {}: {}", name, redact_header_value(name, value));
    }
  }
  con->set_max_message_size(settings.max_message_size);
  con->set_open_handshake_timeout(static_cast<long>(settings.open_timeout.count()));
  con->set_close_handshake_timeout(static_cast<long>(k_close_wait.count()));
  con->set_pong_timeout(k_pong_timeout_ms);
  if (settings.proxy) {
    con->set_proxy(settings.proxy->origin(), ec);
    if (!ec && !settings.proxy->userinfo.empty()) {
      const auto [user, password] = split_userinfo(settings.proxy->userinfo);
      con->set_proxy_basic_auth(user, password, ec);
    }
    if (!ec) {
      con->set_proxy_timeout(static_cast<long>(settings.open_timeout.count()), ec);
    }
  }
  auto self = this->shared_from_this();
  con->set_open_handler([self](websocketpp::connection_hdl) {
    if (self->phase == Phase::closing) {
      // close() came while the socket was still opening.
      std::error_code ignored;
      self->con->close(websocketpp::close::status::normal, "", ignored);
      return;
    }
    self->phase = Phase::open;
    self->last_frame = Clock::now();
    const auto& response = self->con->get_response();
    // websocketpp folds repeated headers into one, comma-separated.
    const std::string set_cookies = response.get_header("Set-Cookie");
    for (const std::string_view set_cookie : split_set_cookie_list(set_cookies)) {
      self->jar.store(self->settings.url, set_cookie);
    }
    spdlog::trace("[websocket] open: HTTP {}", static_cast<int>(self->con->get_response_code()));
    self->trace_upgrade_reply();
    while (!self->queued.empty() && self->phase == Phase::open) {
      auto [tag, body] = std::move(self->queued.front());
      self->queued.pop_front();
      self->send(tag, std::move(body));
    }
    if (self->paused) {
      self->apply_pause();
    }
    self->arm_ping();
  });
  con->set_fail_handler([self](websocketpp::connection_hdl) {
    const bool was_closing = self->phase == Phase::closing;
    self->phase = Phase::done;
    Failure failure = self->open_failure();
    if (tracing()) {
      if (self->con->get_response_code() != websocketpp::http::status_code::uninitialized) {
        self->trace_upgrade_reply();
      }
      TraceRecord("ws.error").text("error", failure.detail).flag("closing", was_closing);
    }
    if (!was_closing) {
      self->report(std::move(failure));
    }
    self->finished();
  });
  con->set_close_handler([self](websocketpp::connection_hdl) {
    const bool was_closing = self->phase == Phase::closing;
    self->phase = Phase::done;
    if (tracing()) {
      TraceRecord("ws.close")
          .number("code", self->con->get_remote_close_code())
          .text("reason", self->con->get_remote_close_reason())
          .number("local_code", self->con->get_local_close_code())
          .flag("by_client", was_closing);
    }
    if (!was_closing &&
        self->con->get_local_close_code() == websocketpp::close::status::message_too_big) {
      // websocketpp refused a message over max_message_size before reading it.
      Failure f;
      f.kind = Failure::Kind::malformed;
      f.detail = "a WebSocket message from " + self->where + " is over the " +
                 size_text(self->settings.max_message_size) + " limit (--max-message-size)";
      self->report(std::move(f));
    } else if (!was_closing) {
      Failure f;
      f.kind = Failure::Kind::network;
      const auto code = self->con->get_remote_close_code();
      const std::string reason = self->con->get_remote_close_reason();
      f.detail = "the WebSocket to " + self->where + " was closed (" + std::to_string(code) +
                 (reason.empty() ? "" : " " + reason) + ")";
      self->report(std::move(f));
    }
    self->finished();
  });
  con->set_message_handler([self](websocketpp::connection_hdl, MessagePtr message) {
    self->last_frame = Clock::now();
    if (tracing()) {
      TraceRecord("ws.in").payload("text", message->get_payload());
    }
    if (self->reporting && self->listener != nullptr) {
      self->in_read_handler = true;
      self->listener->on_batch(0, std::move(message->get_raw_payload()));
      self->in_read_handler = false;
    }
    if (self->paused && !self->reading_paused) {
      self->apply_pause();
    }
  });
  con->set_pong_handler([self](websocketpp::connection_hdl, std::string) {
    self->last_frame = Clock::now();
  });
  con->set_pong_timeout_handler([self](websocketpp::connection_hdl, std::string) {
    if (self->reading_paused) {
      return;  // the pong may be sitting unread behind a stalled reader
    }
    spdlog::info("no pong from {} within {} ms: the connection is dead", self->where,
                 k_pong_timeout_ms);
    Failure f;
    f.kind = Failure::Kind::network;
    f.detail = "the WebSocket to " + self->where + " stopped answering pings";
    self->report(std::move(f));
    self->phase = Phase::closing;
    self->force_close();
  });
  client.connect(con);
}

template <typename Config>
Failure Socket<Config>::open_failure() {
  Failure f;
  const int status = static_cast<int>(con->get_response_code());
  const std::error_code ec = con->get_ec();
  if (status != 0 && status != 101) {
    f.kind = Failure::Kind::upgrade_refused;
    f.http_status = status;
    f.detail = "the WebSocket upgrade was refused by " + where + " (" +
               http_status_text(status, con->get_response_msg(), con->get_response().get_body()) +
               ")";
  } else if (!verify->error.empty()) {
    f.kind = Failure::Kind::tls;
    f.detail = "TLS certificate verification failed for " + settings.url.host + ": " +
               verify->error;
  } else if (is_tls_error(ec)) {
    f.kind = Failure::Kind::tls;
    f.detail = "TLS handshake with " + where + " failed";
    if (!verify->handshake_error.empty()) {
      f.detail += " (" + verify->handshake_error + ")";
    }
  } else if (ec == websocketpp::error::open_handshake_timeout ||
             ec == websocketpp::transport::error::timeout) {
    f.kind = Failure::Kind::deadline;
    f.detail = "no WebSocket connection to " + where + " within " +
               std::to_string(settings.open_timeout.count()) + " ms";
  } else if (settings.proxy &&
             ec == websocketpp::transport::asio::error::make_error_code(
                       websocketpp::transport::asio::error::proxy_failed)) {
    // The proxy answered CONNECT with another status than 200.
    int proxy_status = 0;
    std::string reason;
    if (proxy_connect_status(proxy_log.str(), proxy_status, reason)) {
      ProxyRefusal refusal = proxy_refusal(proxy_where, where, proxy_status, reason);
      f.kind = refusal.retry ? Failure::Kind::refused : Failure::Kind::proxy;
      f.detail = std::move(refusal.detail);
    } else {
      f.kind = Failure::Kind::refused;
      f.detail = "the proxy " + proxy_where + " refused the CONNECT to " + where;
    }
  } else if (settings.proxy && is_refusal(ec)) {
    // With a proxy, the only TCP connection made is the one to the proxy.
    f.kind = Failure::Kind::refused;
    f.detail = ec == asio::error::connection_refused
                   ? "the proxy " + proxy_where + " refused the connection"
                   : "cannot reach the proxy " + proxy_where + " (" + ec.message() + ")";
  } else {
    f.kind = is_refusal(ec) ? Failure::Kind::refused : Failure::Kind::network;
    f.detail = "cannot open a WebSocket to " + where + " (" + ec.message() + ")";
  }
  f.unsent = true;  // no frame leaves before the upgrade completes
  return f;
}

template <typename Config>
void Socket<Config>::send(std::uint64_t tag, std::string body) {
  if (phase == Phase::idle) {
    queued.emplace_back(tag, std::move(body));
    start();
    return;
  }
  if (phase == Phase::connecting) {
    queued.emplace_back(tag, std::move(body));
    return;
  }
  if (phase != Phase::open) {
    return;  // failed or closing: the failure was (or will be) reported for every request
  }
  if (tracing()) {
    TraceRecord("ws.out")
        .number("request", static_cast<std::int64_t>(tag))
        .payload("text", body);
  }
  const std::error_code ec = con->send(body, websocketpp::frame::opcode::text);
  if (ec) {
    Failure f;
    f.kind = Failure::Kind::network;
    f.detail = "cannot send on the WebSocket to " + where + ": " + ec.message();
    report(std::move(f));
    phase = Phase::closing;
    force_close();
  }
}

template <typename Config>
void Socket<Config>::arm_ping() {
  ping_timer.expires_after(settings.ping_interval);
  ping_timer.async_wait([weak = this->weak_from_this()](std::error_code ec) {
    auto self = weak.lock();
    if (ec || !self || self->phase != Phase::open) {
      return;
    }
    // Only a quiet socket is pinged: any frame proves the peer alive. A paused reader cannot
    // see the pong, so it does not ping either.
    if (!self->paused && Clock::now() - self->last_frame >= self->settings.ping_interval) {
      std::error_code ignored;
      self->con->ping("", ignored);
    }
    self->arm_ping();
  });
}

template <typename Config>
void Socket<Config>::report(Failure failure) {
  if (!reporting || listener == nullptr) {
    return;
  }
  reporting = false;  // one failure per socket: it covers every request in flight (tag 0)
  // Never from inside a send() of the session: post it.
  asio::post(io, [self = this->shared_from_this(), failure = std::move(failure)]() mutable {
    if (self->listener != nullptr) {
      self->listener->on_failure(0, std::move(failure));
    }
  });
}

template <typename Config>
void Socket<Config>::force_close() {
  if (con) {
    std::error_code ignored;
    con->get_raw_socket().close(ignored);
  }
}

template <typename Config>
void Socket<Config>::close() {
  reporting = false;
  listener = nullptr;
  if (phase == Phase::connecting) {
    // Still opening: nothing to close cleanly. terminate() ends it at once (closing the raw
    // socket would leave websocketpp waiting for its 5 s connect timer).
    phase = Phase::closing;
    con->terminate(websocketpp::error::make_error_code(websocketpp::error::operation_canceled));
  } else if (phase == Phase::open) {
    phase = Phase::closing;
    std::error_code ec;
    con->close(websocketpp::close::status::normal, "", ec);
    if (ec) {
      force_close();
    }
    close_timer.expires_after(k_close_wait);
    close_timer.async_wait([self = this->shared_from_this()](std::error_code ec2) {
      if (!ec2 && self->phase == Phase::closing) {
        self->force_close();
      }
    });
  } else if (phase != Phase::closing) {
    phase = Phase::done;
    finished();
  }
}

template <typename Config>
void Socket<Config>::finished() {
  ping_timer.cancel();
  close_timer.cancel();
  if (auto done = std::move(on_closed)) {
    asio::post(io, std::move(done));
  }
  // Break the cycle: the connection keeps itself alive while websocketpp finishes with it,
  // and its handlers keep this object (and the endpoint) alive until then.
  asio::post(io, [self = this->shared_from_this()] { self->con.reset(); });
}

template <typename Config>
class WebSocketTransport final : public Transport {
 public:
  WebSocketTransport(asio::io_context& io, WebSocketSettings settings, CookieJar& jar)
      : socket_(std::make_shared<Socket<Config>>(io, std::move(settings), jar)) {}
  ~WebSocketTransport() override { close(); }

  std::string_view name() const override { return "websocket"; }
  void open(TransportListener& listener) override { socket_->listener = &listener; }
  void send(std::uint64_t tag, Lane, std::string body, std::chrono::milliseconds) override {
    socket_->send(tag, std::move(body));
  }
  bool pipelines_requests() const override { return true; }
  bool may_refuse_upgrade() const override { return true; }
  void set_headers(Headers headers) override { socket_->settings.headers = std::move(headers); }
  void pause_reading(bool paused) override { socket_->set_paused(paused); }
  // Replies are matched by id on one socket: a stale connect's reply is simply ignored.
  void cancel_connect() override {}
  void close() override { socket_->close(); }
  void shutdown(std::function<void()> done) override {
    if (socket_->phase == Socket<Config>::Phase::done ||
        socket_->phase == Socket<Config>::Phase::idle) {
      socket_->close();
      asio::post(socket_->io, std::move(done));
      return;
    }
    socket_->on_closed = std::move(done);
    socket_->close();
  }

 private:
  std::shared_ptr<Socket<Config>> socket_;
};

}  // namespace

std::unique_ptr<Transport> make_websocket_transport(asio::io_context& io,
                                                    WebSocketSettings settings, CookieJar& jar) {
  settings.url = settings.url.with_scheme_family(true);
  if (settings.url.tls()) {
    return std::make_unique<WebSocketTransport<WsTlsConfig>>(
        io, std::move(settings), jar);
  }
  return std::make_unique<WebSocketTransport<WsPlainConfig>>(
      io, std::move(settings), jar);
}

}  // namespace cometd
