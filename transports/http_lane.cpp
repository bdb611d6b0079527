#include "http_lane.hpp"

#include <httplib.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <charconv>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "redact.hpp"

namespace cometd {

namespace {

using Millis = std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr Millis k_deadline_grace{250};   // httplib's read timeout normally fires first
constexpr Millis k_max_connect_timeout{10000};
constexpr Millis k_stop_wait{300};

template <typename Duration>
void split_duration(Duration d, time_t& sec, time_t& usec) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
  sec = static_cast<time_t>(us / 1000000);
  usec = static_cast<time_t>(us % 1000000);
}

}  // namespace

struct HttpLane::Impl : std::enable_shared_from_this<Impl> {
  struct Job {
    Headers headers;
    std::string body;
    Millis deadline;
    Done done;
  };

  Impl(asio::io_context& io_context, Url origin, TlsOptions tls_options, std::optional<Url> via,
       std::string lane_name)
      : io(io_context),
        url(std::move(origin)),
        tls(std::move(tls_options)),
        proxy(std::move(via)),
        name(std::move(lane_name)),
        deadline_timer(io_context) {}

  asio::io_context& io;
  Url url;
  TlsOptions tls;
  std::optional<Url> proxy;
  std::string name;
  std::unique_ptr<httplib::Client> client;  // used by the worker; stop() from the io thread

  std::mutex mutex;
  std::condition_variable cv;
  std::deque<Job> jobs;
  bool stopping = false;
  bool worker_done = false;
  std::uint64_t current = 0;  // generation of the request the worker is performing
  std::uint64_t aborted = 0;  // generation abort_current() cut short
  std::thread worker;

  // io thread only
  bool stopped = false;
  asio::steady_timer deadline_timer;
  std::uint64_t generation = 0;  // of the request the timer guards
  std::atomic<bool> deadline_hit{false};

  void make_client();
  void run();
  HttpResult perform(Job& job, std::uint64_t gen);
  std::uint64_t worker_generation = 0;  // worker thread only
  void arm_deadline(std::uint64_t gen, Millis deadline);
};

void HttpLane::Impl::make_client() {
  const std::string origin = url.origin();
  if (url.tls() && !tls.cert.empty()) {
    client = std::make_unique<httplib::Client>(origin, tls.cert, tls.key);
  } else {
    client = std::make_unique<httplib::Client>(origin);
  }
  client->set_keep_alive(true);  // 0.11 defaults to Connection: close
  client->set_tcp_nodelay(true);
  client->set_follow_location(false);
  client->set_decompress(true);
  if (proxy) {
    // Plain http goes to the proxy in absolute form; https through a CONNECT tunnel.
    client->set_proxy(proxy->host.c_str(), proxy->port);
    if (!proxy->userinfo.empty()) {
      const auto [user, password] = split_userinfo(proxy->userinfo);
      client->set_proxy_basic_auth(user.c_str(), password.c_str());
    }
  }
  if (url.tls()) {
    client->enable_server_certificate_verification(!tls.insecure);
    if (!tls.cacert.empty()) {
      client->set_ca_cert_path(tls.cacert);
    }
  }
}

void HttpLane::Impl::arm_deadline(std::uint64_t gen, Millis deadline) {
  // Posted by the worker just before a request: the backstop for a server that trickles
  // bytes (httplib's read timeout only bounds each wait).
  asio::post(io, [self = shared_from_this(), gen, deadline] {
    if (self->stopped) {
      return;
    }
    self->generation = gen;
    self->deadline_timer.expires_after(deadline + k_deadline_grace);
    self->deadline_timer.async_wait([weak = std::weak_ptr<Impl>(self), gen](std::error_code ec) {
      auto impl = weak.lock();
      if (ec || !impl || impl->stopped || impl->generation != gen) {
        return;
      }
      impl->deadline_hit = true;
      impl->client->stop();
    });
  });
}

HttpResult HttpLane::Impl::perform(Job& job, std::uint64_t gen) {
  time_t sec = 0;
  time_t usec = 0;
  split_duration(std::min(job.deadline, k_max_connect_timeout), sec, usec);
  client->set_connection_timeout(sec, usec);
  split_duration(job.deadline, sec, usec);
  client->set_read_timeout(sec, usec);
  client->set_write_timeout(sec, usec);

  httplib::Headers headers;
  for (auto& [key, value] : job.headers) {
    headers.emplace(key, value);
  }
  if (spdlog::should_log(spdlog::level::trace)) {
    spdlog::trace("[{}] POST {} ({} bytes)", name, url.str(), job.body.size());
    for (const auto& [key, value] : job.headers) {
      spdlog::trace("[{}] > {}: {}", name, key, redact_header_value(key, value));
    }
  }
  deadline_hit = false;
  arm_deadline(gen, job.deadline);
  const auto started = Clock::now();
  // The body goes into a string reserved to the Content-Length: a batch of several MB is
  // not grown by doubling (which holds up to three times its size at the peak).
  httplib::Request req;
  req.method = "POST";
  req.path = url.target;
  req.headers = std::move(headers);
  req.headers.emplace("Content-Type", "application/json;charset=UTF-8");
  req.body = std::move(job.body);
  std::string body;
  req.response_handler = [&body](const httplib::Response& response) {
    constexpr std::uint64_t k_max_reserve = 256ULL << 20;
    const std::string text = response.get_header_value("Content-Length");
    std::uint64_t length = 0;
    const auto parsed = std::from_chars(text.data(), text.data() + text.size(), length);
    if (parsed.ec == std::errc() && length > 0 && length <= k_max_reserve) {
      body.reserve(static_cast<std::size_t>(length));
    }
    return true;
  };
  req.content_receiver = [&body](const char* data, std::size_t size, std::uint64_t,
                                 std::uint64_t) {
    body.append(data, size);
    return true;
  };
  httplib::Response res;
  httplib::Error error = httplib::Error::Success;
  const bool ok = client->send(req, res, error);
  const auto elapsed = std::chrono::duration_cast<Millis>(Clock::now() - started);

  HttpResult result;
  if (ok) {
    result.status = res.status;
    const auto n = res.get_header_value_count("Set-Cookie");
    for (std::size_t i = 0; i < n; ++i) {
      result.set_cookies.push_back(res.get_header_value("Set-Cookie", i));
    }
    if (spdlog::should_log(spdlog::level::trace)) {
      spdlog::trace("[{}] HTTP {} ({} bytes) in {} ms", name, res.status, body.size(),
                    elapsed.count());
      for (const auto& [key, value] : res.headers) {
        spdlog::trace("[{}] < {}: {}", name, key, redact_header_value(key, value));
      }
    }
    result.body = std::move(body);
    if (result.status != 200) {
      result.failure.kind = Failure::Kind::http_status;
      result.failure.http_status = result.status;
      result.failure.detail = "HTTP " + std::to_string(result.status);
    }
    return result;
  }
  const std::string where = url.host + ":" + std::to_string(url.port);
  Failure& f = result.failure;
  f.kind = Failure::Kind::network;
  switch (error) {
    case httplib::Error::Connection:
      f.kind = Failure::Kind::refused;
      f.unsent = true;
      f.detail = "cannot connect to " + where;
      break;
    case httplib::Error::ConnectionTimeout:
      f.kind = Failure::Kind::deadline;
      f.unsent = true;
      f.detail = "timed out connecting to " + where;
      break;
    case httplib::Error::SSLServerVerification: {
      f.kind = Failure::Kind::tls;
      const long verify = client->get_openssl_verify_result();
      f.detail = "TLS certificate verification failed for " + url.host + ": " +
                 (verify != X509_V_OK ? X509_verify_cert_error_string(verify)
                                      : "host name mismatch");
      break;
    }
    case httplib::Error::SSLConnection:
      f.kind = Failure::Kind::tls;
      f.detail = "TLS handshake with " + where + " failed";
      break;
    case httplib::Error::SSLLoadingCerts:
      f.kind = Failure::Kind::tls;
      f.detail = "cannot load the TLS certificates";
      break;
    default:
      if (deadline_hit || elapsed + Millis{20} >= job.deadline) {
        f.kind = Failure::Kind::deadline;
        f.detail = "no reply from " + where + " within " + std::to_string(job.deadline.count()) +
                   " ms";
      } else {
        f.detail = "connection to " + where + " failed (" + httplib::to_string(error) + ")";
      }
  }
  spdlog::trace("[{}] request failed: {}", name, f.detail);
  return result;
}

void HttpLane::Impl::run() {
  while (true) {
    Job job;
    {
      std::unique_lock<std::mutex> lock(mutex);
      cv.wait(lock, [this] { return stopping || !jobs.empty(); });
      if (stopping) {
        break;
      }
      job = std::move(jobs.front());
      jobs.pop_front();
      current = ++worker_generation;
    }
    const std::uint64_t gen = worker_generation;
    HttpResult result = perform(job, gen);
    std::lock_guard<std::mutex> lock(mutex);
    current = 0;
    if (stopping) {
      break;  // the io_context may be gone once stop() has given up on this thread
    }
    if (aborted == gen && result.status == 0) {
      result.failure.kind = Failure::Kind::aborted;
    }
    asio::post(io, [self = shared_from_this(), gen, result = std::move(result),
                    done = std::move(job.done)]() mutable {
      if (self->generation == gen) {
        self->generation = 0;  // disarm before the next request arms it again
        self->deadline_timer.cancel();
      }
      if (!self->stopped) {
        done(std::move(result));
      }
    });
  }
  std::lock_guard<std::mutex> lock(mutex);
  worker_done = true;
  cv.notify_all();
}

void HttpLane::abort_current() {
  if (impl_->stopped || !impl_->client) {
    return;
  }
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (impl_->current == 0) {
      return;
    }
    impl_->aborted = impl_->current;
  }
  impl_->client->stop();
}

HttpLane::HttpLane(asio::io_context& io, Url origin, TlsOptions tls, std::optional<Url> proxy,
                   std::string name)
    : impl_(std::make_shared<Impl>(io, std::move(origin), std::move(tls), std::move(proxy),
                                   std::move(name))) {}

HttpLane::~HttpLane() { stop(); }

void HttpLane::post(Headers headers, std::string body, std::chrono::milliseconds deadline,
                    Done done) {
  if (impl_->stopped) {
    return;
  }
  if (!impl_->client) {
    impl_->make_client();
    impl_->worker = std::thread([self = impl_] { self->run(); });
  }
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->jobs.push_back({std::move(headers), std::move(body), deadline, std::move(done)});
  }
  impl_->cv.notify_one();
}

void HttpLane::stop() {
  if (impl_->stopped) {
    return;
  }
  impl_->stopped = true;
  impl_->deadline_timer.cancel();
  if (!impl_->worker.joinable()) {
    return;
  }
  std::unique_lock<std::mutex> lock(impl_->mutex);
  impl_->stopping = true;
  impl_->jobs.clear();
  impl_->cv.notify_all();
  // Client::stop() aborts a request in flight; one still connecting is caught by a later call.
  const auto until = Clock::now() + k_stop_wait;
  while (!impl_->worker_done && Clock::now() < until) {
    lock.unlock();
    impl_->client->stop();
    lock.lock();
    impl_->cv.wait_for(lock, Millis{10}, [this] { return impl_->worker_done; });
  }
  const bool done = impl_->worker_done;
  lock.unlock();
  if (done) {
    impl_->worker.join();
  } else {
    // Stuck connecting: the thread owns a reference to Impl, so the client outlives it.
    impl_->worker.detach();
  }
}

}  // namespace cometd
