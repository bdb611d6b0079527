#include <doctest/doctest.h>
#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "long_polling.hpp"

using namespace cometd;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("long_polling");

namespace {

/// An in-process HTTP server on 127.0.0.1: echoes bodies, holds /hold until released.
struct TestServer {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex m;
  std::condition_variable cv;
  bool released = false;
  std::vector<std::string> cookies_seen;
  std::vector<std::size_t> cookie_headers;  // how many Cookie headers each request had
  std::vector<std::string> content_types;
  std::atomic<int> requests{0};

  TestServer() {
    server.Post("/cometd", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      {
        std::lock_guard<std::mutex> lock(m);
        cookies_seen.push_back(req.get_header_value("Cookie"));
        cookie_headers.push_back(req.get_header_value_count("Cookie"));
        content_types.push_back(req.get_header_value("Content-Type"));
      }
      res.set_header("Set-Cookie", "BAYEUX_BROWSER=abc; HttpOnly");
      res.set_content(req.body, "application/json");
    });
    server.Post("/hold", [this](const httplib::Request& req, httplib::Response& res) {
      std::unique_lock<std::mutex> lock(m);
      cv.wait_for(lock, 10s, [this] { return released; });
      res.set_content(req.body, "application/json");
    });
    server.Post("/status", [](const httplib::Request&, httplib::Response& res) {
      res.status = 503;
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    for (int i = 0; i < 500 && !server.is_running(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~TestServer() {
    release();
    server.stop();
    thread.join();
  }
  void release() {
    std::lock_guard<std::mutex> lock(m);
    released = true;
    cv.notify_all();
  }
  Url url(const std::string& path) const {
    std::string error;
    return *parse_url("http://127.0.0.1:" + std::to_string(port) + path, error);
  }
};

struct Results final : TransportListener {
  std::vector<std::pair<std::uint64_t, std::string>> batches;
  std::vector<std::pair<std::uint64_t, Failure>> failures;
  void on_batch(std::uint64_t tag, std::string body) override {
    batches.emplace_back(tag, std::move(body));
  }
  void on_failure(std::uint64_t tag, Failure failure) override {
    failures.emplace_back(tag, std::move(failure));
  }
  std::size_t total() const { return batches.size() + failures.size(); }
};

/// A loopback port that was free a moment ago and has no listener.
int unused_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// Runs the io loop until `n` results arrived or 10 s passed.
void run_until(asio::io_context& io, Results& results, std::size_t n) {
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (results.total() < n && std::chrono::steady_clock::now() < until) {
    io.restart();
    io.run_for(10ms);
  }
}

}  // namespace

TEST_CASE("a held connect does not block the request lane; cookies go back to the server") {
  TestServer server;
  asio::io_context io;
  CookieJar jar;
  Results results;
  // The connect lane posts to /hold, which the server holds until released.
  LongPollingTransport held(io, server.url("/hold"), {}, std::nullopt, {}, jar);
  LongPollingTransport requests(io, server.url("/cometd"), {}, std::nullopt, {}, jar);
  requests.set_headers({{"X-Test", "1"}});
  held.open(results);
  requests.open(results);
  held.send(1, Lane::connect, R"([{"channel":"/meta/connect"}])", 5s);
  requests.send(2, Lane::request, R"([{"channel":"/meta/handshake"}])", 5s);
  run_until(io, results, 1);
  REQUIRE(results.batches.size() == 1);
  CHECK(results.batches[0].first == 2);
  CHECK(results.batches[0].second == R"([{"channel":"/meta/handshake"}])");
  requests.send(3, Lane::request, R"([{"channel":"/a","data":1}])", 5s);
  run_until(io, results, 2);
  {
    std::lock_guard<std::mutex> lock(server.m);
    REQUIRE(server.cookies_seen.size() == 2);
    CHECK(server.cookies_seen[0].empty());
    CHECK(server.cookies_seen[1] == "BAYEUX_BROWSER=abc");
    CHECK(server.content_types[0] == "application/json;charset=UTF-8");
  }
  server.release();
  run_until(io, results, 3);
  CHECK(results.batches.size() == 3);
  held.close();
  requests.close();
}

TEST_CASE("one Cookie header: the -H cookies, then the jar's (RFC 6265 allows one)") {
  TestServer server;
  asio::io_context io;
  CookieJar jar;
  Results results;
  LongPollingTransport transport(io, server.url("/cometd"), {}, std::nullopt, {}, jar);
  transport.set_headers({{"cookie", "user=1"}, {"X-Test", "1"}});
  transport.open(results);
  transport.send(1, Lane::request, "[]", 5s);
  run_until(io, results, 1);
  transport.send(2, Lane::request, "[]", 5s);
  run_until(io, results, 2);
  {
    std::lock_guard<std::mutex> lock(server.m);
    REQUIRE(server.cookie_headers.size() == 2);
    CHECK(server.cookie_headers[0] == 1);
    CHECK(server.cookies_seen[0] == "user=1");
    CHECK(server.cookie_headers[1] == 1);
    CHECK(server.cookies_seen[1] == "user=1; BAYEUX_BROWSER=abc");
  }
  transport.close();
}

TEST_CASE("a reply slower than the deadline fails with Kind::deadline") {
  TestServer server;
  asio::io_context io;
  CookieJar jar;
  Results results;
  LongPollingTransport transport(io, server.url("/hold"), {}, std::nullopt, {}, jar);
  transport.open(results);
  const auto started = std::chrono::steady_clock::now();
  transport.send(7, Lane::connect, "[]", 300ms);
  run_until(io, results, 1);
  REQUIRE(results.failures.size() == 1);
  CHECK(results.failures[0].first == 7);
  CHECK(results.failures[0].second.kind == Failure::Kind::deadline);
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  transport.close();
}

TEST_CASE("HTTP errors and refused connections") {
  TestServer server;
  asio::io_context io;
  CookieJar jar;
  Results results;
  LongPollingTransport transport(io, server.url("/status"), {}, std::nullopt, {}, jar);
  transport.open(results);
  transport.send(1, Lane::request, "[]", 5s);
  run_until(io, results, 1);
  REQUIRE(results.failures.size() == 1);
  CHECK(results.failures[0].second.kind == Failure::Kind::http_status);
  CHECK(results.failures[0].second.http_status == 503);

  // A port nobody listens on: take one from the kernel, then close it.
  const int closed_port = unused_port();
  std::string error;
  LongPollingTransport refused(io, *parse_url("http://127.0.0.1:" + std::to_string(closed_port) +
                                                  "/cometd",
                                              error),
                               {}, std::nullopt, {}, jar);
  Results refused_results;
  refused.open(refused_results);
  refused.send(2, Lane::request, "[]", 5s);
  run_until(io, refused_results, 1);
  REQUIRE(refused_results.failures.size() == 1);
  CHECK(refused_results.failures[0].second.kind == Failure::Kind::refused);
  CHECK(refused_results.failures[0].second.unsent);
  transport.close();
  refused.close();
}

TEST_CASE("close() aborts a held request at once and nothing is reported after it") {
  TestServer server;
  asio::io_context io;
  CookieJar jar;
  Results results;
  auto transport = std::make_unique<LongPollingTransport>(io, server.url("/hold"), TlsOptions{},
                                                          std::nullopt, HttpLimits{}, jar);
  transport->open(results);
  transport->send(1, Lane::connect, "[]", 30s);
  // Let the request reach the server.
  const auto until = std::chrono::steady_clock::now() + 5s;
  while (server.requests == 0 && std::chrono::steady_clock::now() < until) {
    io.restart();
    io.run_for(10ms);
  }
  const auto started = std::chrono::steady_clock::now();
  transport->close();
  transport.reset();
  CHECK(std::chrono::steady_clock::now() - started < 2s);
  io.restart();
  io.run_for(100ms);
  CHECK(results.total() == 0);
}

TEST_SUITE_END();
