#include "http_client.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>

#include "base64.hpp"
#include "header_field.hpp"
#include "http_reply_parser.hpp"

namespace cometd {

namespace {

using Clock = std::chrono::steady_clock;
using Millis = std::chrono::milliseconds;

enum class Wait { ready, timeout, aborted };

std::string host_port(const std::string& host, int port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string ssl_error_text() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) {
    return "no detail from OpenSSL";
  }
  return tls_reason(e);
}

}  // namespace

struct HttpClient::Impl {
  Impl(Url origin, TlsOptions tls_options, std::optional<Url> via, HttpLimits reply_limits)
      : url(std::move(origin)),
        tls(std::move(tls_options)),
        proxy(std::move(via)),
        limits(reply_limits),
        where(host_port(url.host, url.port)),
        proxy_where(proxy ? host_port(proxy->host, proxy->port) : std::string()) {
    wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  }
  ~Impl() {
    disconnect();
    if (ctx != nullptr) {
      SSL_CTX_free(ctx);
    }
    if (wake >= 0) {
      ::close(wake);
    }
  }

  Url url;
  TlsOptions tls;
  std::optional<Url> proxy;
  HttpLimits limits;
  std::string where;        // the server, host:port
  std::string proxy_where;  // the proxy, host:port
  int wake = -1;            // eventfd: abort() from any thread
  int fd = -1;
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  std::string in;  // received, not yet parsed
  Clock::time_point started;  // of the post() in progress
  HttpTimings timings;

  std::chrono::nanoseconds since_start() const { return Clock::now() - started; }

  void disconnect() {
    if (ssl != nullptr) {
      SSL_free(ssl);
      ssl = nullptr;
    }
    if (fd >= 0) {
      ::close(fd);
      fd = -1;
    }
    in.clear();
  }

  Wait wait_for(short events, Clock::time_point deadline) {
    while (true) {
      const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
      if (left <= 0) {
        return Wait::timeout;
      }
      pollfd fds[2] = {{fd, events, 0}, {wake, POLLIN, 0}};
      const int n = ::poll(fds, 2, static_cast<int>(std::min<long long>(left, 60000)));
      if (n < 0 && errno == EINTR) {
        continue;
      }
      if (fds[1].revents != 0) {
        return Wait::aborted;
      }
      if (n > 0) {
        return Wait::ready;
      }
    }
  }

  bool fail(HttpError& error, HttpError::Kind kind, std::string detail) {
    error.kind = kind;
    error.detail = std::move(detail);
    disconnect();
    return false;
  }

  bool waited(Wait w, HttpError& error, const std::string& timeout_text) {
    if (w == Wait::aborted) {
      return fail(error, HttpError::Kind::aborted, "aborted");
    }
    if (w == Wait::timeout) {
      return fail(error, HttpError::Kind::deadline, timeout_text);
    }
    return true;
  }

  /// TCP to the first hop: the proxy when there is one, else the server.
  bool connect_tcp(Millis connect_timeout, Clock::time_point deadline, HttpError& error) {
    const std::string& host = proxy ? proxy->host : url.host;
    const int port = proxy ? proxy->port : url.port;
    const std::string who = proxy ? "the proxy " + proxy_where : where;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found);
    if (rc != 0) {
      return fail(error, HttpError::Kind::refused,
                  "cannot resolve " + (proxy ? "the proxy " + host : host) + ": " +
                      ::gai_strerror(rc));
    }
    timings.dns = since_start();
    const auto until = std::min(deadline, Clock::now() + connect_timeout);
    int last_errno = ECONNREFUSED;
    bool timed_out = false;
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
      fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
      if (fd < 0) {
        last_errno = errno;
        continue;
      }
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
        break;
      }
      if (errno == EINPROGRESS) {
        const Wait w = wait_for(POLLOUT, until);
        if (w == Wait::aborted) {
          ::freeaddrinfo(found);
          return fail(error, HttpError::Kind::aborted, "aborted");
        }
        if (w == Wait::ready) {
          int so_error = 0;
          socklen_t len = sizeof so_error;
          ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
          if (so_error == 0) {
            break;
          }
          last_errno = so_error;
        } else {
          timed_out = true;
        }
      } else {
        last_errno = errno;
      }
      ::close(fd);
      fd = -1;
    }
    ::freeaddrinfo(found);
    if (fd >= 0) {
      timings.connect = since_start();
      return true;
    }
    if (timed_out) {
      return fail(error, HttpError::Kind::connect_timeout,
                  "timed out connecting to " + who);
    }
    if (proxy && last_errno == ECONNREFUSED) {
      return fail(error, HttpError::Kind::refused,
                  "the proxy " + proxy_where + " refused the connection");
    }
    return fail(error, HttpError::Kind::refused,
                "cannot connect to " + who + " (" + std::strerror(last_errno) + ")");
  }

  /// Writes all of `data` (through TLS once it is on).
  bool write_all(std::string_view data, Clock::time_point deadline, HttpError& error) {
    std::size_t done = 0;
    while (done < data.size()) {
      const std::size_t chunk = std::min<std::size_t>(data.size() - done, 1 << 20);
      short want = POLLOUT;
      if (ssl != nullptr) {
        ERR_clear_error();
        const int n = SSL_write(ssl, data.data() + done, static_cast<int>(chunk));
        if (n > 0) {
          done += static_cast<std::size_t>(n);
          error.sent = true;
          continue;
        }
        const int e = SSL_get_error(ssl, n);
        if (e == SSL_ERROR_WANT_READ) {
          want = POLLIN;
        } else if (e != SSL_ERROR_WANT_WRITE) {
          return fail(error, HttpError::Kind::network,
                      "connection to " + where + " failed while sending (" + ssl_error_text() +
                          ")");
        }
      } else {
        const ssize_t n = ::send(fd, data.data() + done, chunk, MSG_NOSIGNAL);
        if (n > 0) {
          done += static_cast<std::size_t>(n);
          error.sent = true;
          continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          return fail(error, HttpError::Kind::network,
                      "connection to " + where + " failed while sending (" +
                          std::strerror(errno) + ")");
        }
      }
      if (!waited(wait_for(want, deadline), error,
                  "could not send to " + where + " before the deadline")) {
        return false;
      }
    }
    return true;
  }

  /// Appends what arrives to `in`: >0 bytes, 0 at EOF, -1 with `error` set.
  long read_some(Clock::time_point deadline, HttpError& error, const std::string& timeout_text) {
    char buf[16384];
    while (true) {
      short want = POLLIN;
      if (ssl != nullptr) {
        ERR_clear_error();
        const int n = SSL_read(ssl, buf, sizeof buf);
        if (n > 0) {
          in.append(buf, static_cast<std::size_t>(n));
          return n;
        }
        const int e = SSL_get_error(ssl, n);
        if (e == SSL_ERROR_ZERO_RETURN) {
          return 0;
        }
        if (e == SSL_ERROR_SYSCALL && ERR_peek_error() == 0) {
          return 0;  // EOF without close_notify: many servers do that
        }
        if (e == SSL_ERROR_WANT_WRITE) {
          want = POLLOUT;
        } else if (e != SSL_ERROR_WANT_READ) {
          // A fatal alert from the server (TLS 1.3 refuses a client certificate only after
          // our handshake is done) is a TLS failure: no retry mends it.
          const unsigned long code = ERR_peek_error();
          const bool alert = ERR_GET_LIB(code) == ERR_LIB_SSL &&
                             ERR_GET_REASON(code) >= SSL_AD_REASON_OFFSET;
          const std::string reason = ssl_error_text();
          if (alert) {
            fail(error, HttpError::Kind::tls,
                 "TLS handshake with " + where + " failed (" + reason + ")");
          } else {
            fail(error, HttpError::Kind::network,
                 "connection to " + where + " failed (" + reason + ")");
          }
          return -1;
        }
      } else {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n > 0) {
          in.append(buf, static_cast<std::size_t>(n));
          return n;
        }
        if (n == 0) {
          return 0;
        }
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          const int e = errno;
          fail(error, HttpError::Kind::network,
               "connection to " + where + " failed (" + std::strerror(e) + ")");
          return -1;
        }
      }
      if (!waited(wait_for(want, deadline), error, timeout_text)) {
        return -1;
      }
    }
  }

  /// CONNECT host:port through the proxy; the tunnel then carries TLS.
  bool tunnel(Clock::time_point deadline, HttpError& error) {
    std::string request = "CONNECT " + where + " HTTP/1.1\r\nHost: " + where + "\r\n";
    if (!proxy->userinfo.empty()) {
      const auto [user, password] = split_userinfo(proxy->userinfo);
      request += "Proxy-Authorization: Basic " + base64(user + ":" + password) + "\r\n";
    }
    request += "\r\n";
    if (!write_all(request, deadline, error)) {
      return false;
    }
    error.sent = false;  // only the proxy saw this
    ReplyParser parser(limits, true);
    const std::string timeout_text =
        "no answer from the proxy " + proxy_where + " to CONNECT before the deadline";
    while (parser.state() == ReplyParser::State::head) {
      const long n = read_some(deadline, error, timeout_text);
      if (n < 0) {
        return false;
      }
      if (n == 0) {
        return fail(error, HttpError::Kind::proxy,
                    "the proxy " + proxy_where + " closed the connection instead of answering "
                    "CONNECT " + where);
      }
      in.erase(0, parser.feed(in));
    }
    if (parser.state() == ReplyParser::State::failed) {
      return fail(error, HttpError::Kind::proxy,
                  "the proxy " + proxy_where + " answered CONNECT with " + parser.error());
    }
    const int status = parser.reply().status;
    if (status < 200 || status > 299) {
      const ProxyRefusal refusal =
          proxy_refusal(proxy_where, where, status, parser.reply().reason);
      return fail(error, refusal.retry ? HttpError::Kind::refused : HttpError::Kind::proxy,
                  refusal.detail);
    }
    if (!in.empty()) {
      return fail(error, HttpError::Kind::proxy,
                  "the proxy " + proxy_where + " sent bytes before the TLS handshake");
    }
    return true;
  }

  bool make_context(HttpError& error) {
    if (ctx != nullptr) {
      return true;
    }
    std::string why;
    ctx = make_ssl_ctx(tls, why);
    if (ctx == nullptr) {
      return fail(error, HttpError::Kind::tls, why);
    }
    return true;
  }

  bool start_tls(Clock::time_point deadline, HttpError& error) {
    if (!make_context(error)) {
      return false;
    }
    ssl = SSL_new(ctx);
    if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
      return fail(error, HttpError::Kind::tls, "cannot start TLS: " + ssl_error_text());
    }
    in6_addr a6{};
    in_addr a4{};
    const bool ip = ::inet_pton(AF_INET, url.host.c_str(), &a4) == 1 ||
                    ::inet_pton(AF_INET6, url.host.c_str(), &a6) == 1;
    if (!ip) {
      SSL_set_tlsext_host_name(ssl, url.host.c_str());
    }
    if (!tls.insecure) {
      X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
      if (ip) {
        X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str());
      } else {
        X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), 0);
      }
    }
    while (true) {
      ERR_clear_error();
      const int rc = SSL_connect(ssl);
      if (rc == 1) {
        timings.tls = since_start();
        return true;
      }
      const int e = SSL_get_error(ssl, rc);
      short want = 0;
      if (e == SSL_ERROR_WANT_READ) {
        want = POLLIN;
      } else if (e == SSL_ERROR_WANT_WRITE) {
        want = POLLOUT;
      } else {
        const long verify = SSL_get_verify_result(ssl);
        if (verify != X509_V_OK) {
          return fail(error, HttpError::Kind::tls_verify,
                      "TLS certificate verification failed for " + url.host + ": " +
                          X509_verify_cert_error_string(verify));
        }
        const std::string why = ssl_error_text();
        return fail(error, HttpError::Kind::tls,
                    "TLS handshake with " + where + " failed (" + why + ")");
      }
      if (!waited(wait_for(want, deadline), error,
                  "no TLS handshake with " + where + " before the deadline")) {
        return false;
      }
    }
  }

  /// A kept connection the server closed while idle reads as readable: drop it.
  void drop_if_stale() {
    if (fd < 0) {
      return;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 0) != 0) {
      disconnect();
    }
  }

  bool open(Millis connect_timeout, Clock::time_point deadline, HttpError& error) {
    if (!connect_tcp(connect_timeout, deadline, error)) {
      return false;
    }
    if (proxy && url.tls() && !tunnel(deadline, error)) {
      return false;
    }
    if (url.tls() && !start_tls(deadline, error)) {
      return false;
    }
    return true;
  }

  bool exchange(const std::string& request, const std::string& body, Clock::time_point deadline,
                HttpReply& reply, HttpError& error) {
    if (!write_all(request, deadline, error) || !write_all(body, deadline, error)) {
      return false;
    }
    ReplyParser parser(limits, false);
    const std::string timeout_text = "no reply from " + where + " before the deadline";
    while (true) {
      in.erase(0, parser.feed(in));
      if (parser.state() == ReplyParser::State::done) {
        break;
      }
      if (parser.state() == ReplyParser::State::failed) {
        return fail(error, parser.oversized() ? HttpError::Kind::oversized
                                              : HttpError::Kind::malformed,
                    "the reply from " + where + " " + parser.error());
      }
      const long n = read_some(deadline, error, timeout_text);
      if (n < 0) {
        return false;
      }
      if (n > 0 && timings.first_byte.count() < 0) {
        timings.first_byte = since_start();
      }
      if (n == 0) {
        if (parser.finish_at_eof()) {
          break;
        }
        return fail(error, HttpError::Kind::network,
                    parser.started() ? "connection to " + where + " closed mid-reply"
                                     : "connection to " + where + " closed before a reply");
      }
    }
    reply = parser.take_reply();
    if (!parser.keep_alive() || !in.empty()) {
      disconnect();
    }
    return true;
  }
};

HttpClient::HttpClient(Url origin, TlsOptions tls, std::optional<Url> proxy, HttpLimits limits)
    : impl_(std::make_unique<Impl>(std::move(origin), std::move(tls), std::move(proxy), limits)) {}

HttpClient::~HttpClient() = default;

void HttpClient::abort() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(impl_->wake, &one, sizeof one);
}

const HttpTimings& HttpClient::timings() const { return impl_->timings; }

void HttpClient::rearm() {
  std::uint64_t value = 0;
  [[maybe_unused]] const ssize_t n = ::read(impl_->wake, &value, sizeof value);
}

bool HttpClient::post(const std::string& target, const Headers& headers, const std::string& body,
                      std::chrono::milliseconds connect_timeout,
                      std::chrono::steady_clock::time_point deadline, HttpReply& reply,
                      HttpError& error) {
  Impl& c = *impl_;
  c.started = Clock::now();
  c.timings = HttpTimings{};
  struct Total {
    Impl& c;
    ~Total() { c.timings.total = c.since_start(); }
  } total{c};
  std::string request;
  request.reserve(512);
  request += "POST ";
  // Plain http through a proxy: the absolute form; https: the origin form inside the tunnel.
  request += c.proxy && !c.url.tls() ? c.url.origin() + target : target;
  request += " HTTP/1.1\r\nHost: ";
  const bool default_port = c.url.port == (c.url.tls() ? 443 : 80);
  request += default_port ? c.where.substr(0, c.where.rfind(':')) : c.where;
  request += "\r\n";
  for (const auto& [name, value] : headers) {
    if (!is_header_name(name) || !is_header_value(value)) {
      continue;  // refused where it came in (-H, --auth-command, plugins); never on the wire
    }
    request += name;
    request += ": ";
    request += value;
    request += "\r\n";
  }
  if (c.proxy && !c.url.tls() && !c.proxy->userinfo.empty()) {
    const auto [user, password] = split_userinfo(c.proxy->userinfo);
    request += "Proxy-Authorization: Basic " + base64(user + ":" + password) + "\r\n";
  }
  request += "Content-Type: application/json;charset=UTF-8\r\nContent-Length: ";
  request += std::to_string(body.size());
  request += "\r\n\r\n";
  try {
    for (int attempt = 0; attempt < 2; ++attempt) {
      error = HttpError{};
      c.drop_if_stale();
      const bool reused = c.fd >= 0;
      c.timings.reused = reused;
      if (!reused && !c.open(connect_timeout, deadline, error)) {
        return false;
      }
      if (c.exchange(request, body, deadline, reply, error)) {
        return true;
      }
      // A kept connection the server closed just as we used it: once more on a new one.
      const bool stale = reused && error.kind == HttpError::Kind::network &&
                         error.detail.find("before a reply") != std::string::npos;
      if (!stale) {
        return false;
      }
    }
  } catch (const std::bad_alloc&) {
    c.disconnect();
    error.kind = HttpError::Kind::oversized;
    error.detail = "the reply from " + c.where + " does not fit in memory";
  }
  return false;
}

}  // namespace cometd
