#include "http_lane.hpp"

#include <spdlog/spdlog.h>
#include <strings.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "http_reply_parser.hpp"
#include "redact.hpp"
#include "trace.hpp"

namespace cometd {

namespace {

using Millis = std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr Millis k_max_connect_timeout{10000};
// How long stop() waits for the worker to see the abort before it leaves it behind: the
// io thread must stay free (signals act within 100 ms).
constexpr Millis k_stop_wait{50};

}  // namespace

struct HttpLane::Impl : std::enable_shared_from_this<Impl> {
  struct Job {
    std::uint64_t tag;
    Headers headers;
    std::string body;
    Millis deadline;
    Done done;
  };

  Impl(asio::io_context& io_context, Url origin, TlsOptions tls, std::optional<Url> via,
       HttpLimits limits, std::string lane_name)
      : io(io_context),
        url(origin),
        name(std::move(lane_name)),
        client(std::move(origin), std::move(tls), std::move(via), limits) {}

  asio::io_context& io;
  Url url;
  std::string name;
  HttpClient client;  // the worker's; abort() from any thread

  std::mutex mutex;  // held only for short bookkeeping, never across I/O
  std::condition_variable cv;
  std::deque<Job> jobs;
  bool stopping = false;
  bool worker_done = false;
  std::uint64_t current = 0;  // generation of the request the worker is performing
  std::uint64_t aborted = 0;  // generation abort_current() cut short
  std::uint64_t worker_generation = 0;
  std::thread worker;

  bool stopped = false;  // io thread only

  void run();
  HttpResult perform(Job& job);
};

namespace {

/// What every http.* record starts with: which request of which lane it is about.
TraceRecord& about(TraceRecord& record, const std::string& lane, std::uint64_t tag) {
  return record.text("transport", "long-polling")
      .text("lane", lane)
      .number("request", static_cast<std::int64_t>(tag));
}

void trace_request(const std::string& lane, std::uint64_t tag, const Url& url,
                   const Headers& headers, const std::string& body) {
  TraceRecord record("http.request");
  about(record, lane, tag)
      .text("method", "POST")
      .url("url", url.str())
      .headers("headers", headers)
      .payload("body", body);
}

void trace_timings(TraceRecord& record, const HttpTimings& t) {
  record.object("timing_us");
  if (t.reused) {
    record.flag("reused", true);
  }
  const std::pair<const char*, std::chrono::nanoseconds> steps[] = {
      {"dns", t.dns}, {"connect", t.connect}, {"tls", t.tls}, {"first_byte", t.first_byte}};
  for (const auto& [name, value] : steps) {
    if (value.count() >= 0) {
      record.micros(name, value);
    }
  }
  record.micros("total", t.total).end_object();
}

void trace_response(const std::string& lane, std::uint64_t tag, const HttpReply& reply,
                    const HttpTimings& timings) {
  TraceRecord record("http.response");
  about(record, lane, tag)
      .number("status", reply.status)
      .text("reason", reply.reason)
      .headers("headers", reply.headers)
      .payload("body", reply.body);
  trace_timings(record, timings);
}

void trace_error(const std::string& lane, std::uint64_t tag, const HttpError& error,
                 const HttpTimings& timings) {
  TraceRecord record("http.error");
  about(record, lane, tag)
      .text("error", error.detail)
      .flag("sent", error.sent);
  trace_timings(record, timings);
}

}  // namespace

HttpResult HttpLane::Impl::perform(Job& job) {
  if (tracing()) {
    trace_request(name, job.tag, url, job.headers, job.body);
  }
  if (spdlog::should_log(spdlog::level::trace)) {
    spdlog::trace("[{}] POST {} ({} bytes)", name, url.str(), job.body.size());
    for (const auto& [key, value] : job.headers) {
      spdlog::trace("[{}] > {}: {}", name, key, redact_header_value(key, value));
    }
  }
  const auto started = Clock::now();
  HttpReply reply;
  HttpError error;
  const bool ok = client.post(url.target, job.headers, job.body,
                              std::min(job.deadline, k_max_connect_timeout),
                              started + job.deadline, reply, error);
  const auto elapsed = std::chrono::duration_cast<Millis>(Clock::now() - started);
  if (tracing()) {
    if (ok) {
      trace_response(name, job.tag, reply, client.timings());
    } else {
      trace_error(name, job.tag, error, client.timings());
    }
  }
  HttpResult result;
  if (ok) {
    result.status = reply.status;
    for (const auto& [key, value] : reply.headers) {
      if (key.size() == 10 && strncasecmp(key.c_str(), "Set-Cookie", 10) == 0) {
        result.set_cookies.push_back(value);
      }
    }
    if (spdlog::should_log(spdlog::level::trace)) {
      spdlog::trace("[{}] HTTP {} ({} bytes) in {} ms", name, reply.status, reply.body.size(),
                    elapsed.count());
      for (const auto& [key, value] : reply.headers) {
        spdlog::trace("[{}] < {}: {}", name, key, redact_header_value(key, value));
      }
    }
    result.body = std::move(reply.body);
    if (result.status != 200) {
      result.failure.kind = Failure::Kind::http_status;
      result.failure.http_status = result.status;
      result.failure.detail = http_status_text(result.status, reply.reason, result.body);
    }
    return result;
  }
  Failure& f = result.failure;
  f.detail = error.detail;
  f.unsent = !error.sent;
  switch (error.kind) {
    case HttpError::Kind::refused:
      f.kind = Failure::Kind::refused;
      f.unsent = true;
      break;
    case HttpError::Kind::connect_timeout:
      f.kind = Failure::Kind::deadline;
      f.unsent = true;
      break;
    case HttpError::Kind::proxy:
      f.kind = Failure::Kind::proxy;
      f.unsent = true;
      break;
    case HttpError::Kind::tls_verify:
    case HttpError::Kind::tls:
      f.kind = Failure::Kind::tls;
      break;
    case HttpError::Kind::deadline:
      f.kind = Failure::Kind::deadline;
      f.detail = "no reply from " + url.host + ":" + std::to_string(url.port) + " within " +
                 std::to_string(job.deadline.count()) + " ms";
      break;
    case HttpError::Kind::aborted:
      f.kind = Failure::Kind::aborted;
      break;
    case HttpError::Kind::oversized:
    case HttpError::Kind::malformed:
      f.kind = Failure::Kind::malformed;
      break;
    case HttpError::Kind::network:
    case HttpError::Kind::none:
      f.kind = Failure::Kind::network;
      break;
  }
  spdlog::trace("[{}] request failed: {}", name, f.detail);
  return result;
}

void HttpLane::Impl::run() {
  while (true) {
    Job job;
    std::uint64_t gen = 0;
    {
      std::unique_lock<std::mutex> lock(mutex);
      cv.wait(lock, [this] { return stopping || !jobs.empty(); });
      if (stopping) {
        break;
      }
      job = std::move(jobs.front());
      jobs.pop_front();
      gen = current = ++worker_generation;
      client.rearm();  // an abort() meant for the previous request
    }
    HttpResult result = perform(job);
    std::lock_guard<std::mutex> lock(mutex);
    current = 0;
    if (stopping) {
      break;  // the io_context may be gone once stop() has left this thread behind
    }
    if (aborted == gen && result.status == 0) {
      result.failure.kind = Failure::Kind::aborted;
    }
    asio::post(io, [self = shared_from_this(), result = std::move(result),
                    done = std::move(job.done)]() mutable {
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
  if (impl_->stopped) {
    return;
  }
  std::lock_guard<std::mutex> lock(impl_->mutex);
  if (impl_->current == 0) {
    return;
  }
  impl_->aborted = impl_->current;
  impl_->client.abort();
}

HttpLane::HttpLane(asio::io_context& io, Url origin, TlsOptions tls, std::optional<Url> proxy,
                   HttpLimits limits, std::string name)
    : impl_(std::make_shared<Impl>(io, std::move(origin), std::move(tls), std::move(proxy),
                                   limits, std::move(name))) {}

HttpLane::~HttpLane() { stop(); }

void HttpLane::post(std::uint64_t tag, Headers headers, std::string body,
                    std::chrono::milliseconds deadline, Done done) {
  if (impl_->stopped) {
    return;
  }
  if (!impl_->worker.joinable()) {
    impl_->worker = std::thread([self = impl_] { self->run(); });
  }
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->jobs.push_back(
        {tag, std::move(headers), std::move(body), deadline, std::move(done)});
  }
  impl_->cv.notify_one();
}

void HttpLane::stop() {
  if (impl_->stopped) {
    return;
  }
  impl_->stopped = true;
  if (!impl_->worker.joinable()) {
    return;
  }
  std::unique_lock<std::mutex> lock(impl_->mutex);
  impl_->stopping = true;
  impl_->jobs.clear();
  impl_->client.abort();
  impl_->cv.notify_all();
  const bool done =
      impl_->cv.wait_for(lock, k_stop_wait, [this] { return impl_->worker_done; });
  lock.unlock();
  if (done) {
    impl_->worker.join();
  } else {
    // Stuck where an abort cannot reach (name resolution): the thread holds its own reference
    // to Impl and never touches the io_context again.
    impl_->worker.detach();
  }
}

}  // namespace cometd
