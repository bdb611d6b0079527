// The floor under `bench`'s latency: the least a client can do for bench's shape on this machine.
// SUBSCRIBERS WebSocket connections to echo_server subscribe to one channel; the first publishes
// RATE messages per second on a fixed schedule (a timerfd, as asio's timers are), each stamped
// with its intended send time in data.t, and every delivery records receive − intended. No Bayeux session (echo_server does not ask for one), no
// library: frames are built by hand, a delivery is read by finding "t": in it. What remains is
// the operating system's part (timer wake-up, system calls, context switches, loopback) and the
// server's; bench's figure minus this one is what bench's own code adds.
//
//   echo_floor PORT SUBSCRIBERS RATE SECONDS [SIZE]
//
// Prints {"count":…,"p50":…,"p90":…,"p99":…,"p99.9":…} in milliseconds over the deliveries of
// the measured SECONDS, after one second of warm-up; exits 1 when a delivery is missing.
// Built by tests/bench/bench-client.sh:
//   c++ -O2 -std=c++17 tests/bench/echo_floor.cpp
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "echo_floor: %s: %s\n", what, std::strerror(errno));
  std::exit(1);
}

/// A client's text frame: masked, as RFC 6455 asks (with a zero mask: the server cannot tell).
std::string frame(std::string_view text) {
  std::string out;
  out += static_cast<char>(0x81);
  if (text.size() < 126) {
    out += static_cast<char>(0x80 | text.size());
  } else {
    out += static_cast<char>(0x80 | 126);
    out += static_cast<char>(text.size() >> 8);
    out += static_cast<char>(text.size() & 0xff);
  }
  out.append(4, '\0');
  out.append(text.data(), text.size());
  return out;
}

void send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && errno == EAGAIN) {  // a full socket on loopback at these rates: wait a little
      ::usleep(50);
      continue;
    }
    if (n <= 0) {
      fail("send");
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

struct Conn {
  int fd = -1;
  std::string in;
};

/// Reads until `in` holds one whole frame (blocking); returns its payload.
std::string read_frame(Conn& c) {
  for (;;) {
    if (c.in.size() >= 2) {
      std::size_t length = static_cast<unsigned char>(c.in[1]) & 0x7f;
      std::size_t head = 2;
      if (length == 126 && c.in.size() >= 4) {
        length = static_cast<std::size_t>(static_cast<unsigned char>(c.in[2])) << 8 |
                 static_cast<unsigned char>(c.in[3]);
        head = 4;
      }
      if (length < 127 && c.in.size() >= head + length && (length < 126 || head == 4)) {
        std::string payload = c.in.substr(head, length);
        c.in.erase(0, head + length);
        return payload;
      }
    }
    char buf[4096];
    const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n <= 0) {
      fail("recv during setup");
    }
    c.in.append(buf, static_cast<std::size_t>(n));
  }
}

Conn open_session(int port, const std::string& channel) {
  Conn c;
  c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (c.fd < 0 || ::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    fail("connect");
  }
  const int one = 1;
  ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  send_all(c.fd, "GET /cometd HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                 "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 "Sec-WebSocket-Version: 13\r\n\r\n");
  for (;;) {
    const std::size_t end = c.in.find("\r\n\r\n");
    if (end != std::string::npos) {
      if (c.in.compare(0, 12, "HTTP/1.1 101") != 0) {
        errno = EPROTO;
        fail("upgrade refused");
      }
      c.in.erase(0, end + 4);
      break;
    }
    char buf[4096];
    const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n <= 0) {
      fail("recv during upgrade");
    }
    c.in.append(buf, static_cast<std::size_t>(n));
  }
  send_all(c.fd, frame("[{\"id\":\"1\",\"channel\":\"/meta/subscribe\",\"clientId\":\"floor\","
                       "\"subscription\":\"" + channel + "\"}]"));
  if (read_frame(c).find("\"successful\":true") == std::string::npos) {
    errno = EPROTO;
    fail("subscribe refused");
  }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: echo_floor PORT SUBSCRIBERS RATE SECONDS [SIZE]\n");
    return 64;
  }
  const int port = std::atoi(argv[1]);
  const int subscribers = std::atoi(argv[2]);
  const double rate = std::atof(argv[3]);
  const double seconds = std::atof(argv[4]);
  const std::size_t size = argc > 5 ? static_cast<std::size_t>(std::atol(argv[5])) : 100;

  const std::string channel = "/bench/floor";
  std::vector<Conn> conns;
  for (int i = 0; i < subscribers; ++i) {
    conns.push_back(open_session(port, channel));
  }
  const int ep = ::epoll_create1(EPOLL_CLOEXEC);
  for (std::size_t i = 0; i < conns.size(); ++i) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = i;
    ::epoll_ctl(ep, EPOLL_CTL_ADD, conns[i].fd, &ev);
  }
  const int timer = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  epoll_event tev{};
  tev.events = EPOLLIN;
  tev.data.u64 = conns.size();
  ::epoll_ctl(ep, EPOLL_CTL_ADD, timer, &tev);

  const std::int64_t period = static_cast<std::int64_t>(1e9 / rate);
  const std::int64_t begin = now_ns();
  const std::int64_t measure_from = 1'000'000'000;  // intended times are ns since begin
  const std::int64_t measure_to = measure_from + static_cast<std::int64_t>(seconds * 1e9);
  const std::int64_t drain_until = measure_to + 500'000'000;
  std::vector<std::int64_t> latencies;
  latencies.reserve(static_cast<std::size_t>(rate * seconds * subscribers * 1.1));
  std::int64_t next = 0;  // the next message's intended time
  std::uint64_t seq = 0;
  std::size_t measured_sent = 0;
  const std::string pad(size, 'x');

  auto arm = [&] {
    itimerspec spec{};
    const std::int64_t at = begin + next;
    spec.it_value.tv_sec = at / 1000000000;
    spec.it_value.tv_nsec = at % 1000000000;
    ::timerfd_settime(timer, TFD_TIMER_ABSTIME, &spec, nullptr);
  };
  arm();
  epoll_event events[64];
  while (now_ns() - begin < drain_until) {
    const int n = ::epoll_wait(ep, events, 64, 100);
    for (int i = 0; i < n; ++i) {
      const std::uint64_t index = events[i].data.u64;
      if (index == conns.size()) {
        std::uint64_t expirations = 0;
        (void)!::read(timer, &expirations, sizeof expirations);
        // Open loop: every message whose time has come is sent, stamped with that time.
        while (next < measure_to && begin + next <= now_ns()) {
          std::string data = "{\"p\":0,\"s\":" + std::to_string(seq++) +
                             ",\"t\":" + std::to_string(next) + ",\"x\":\"";
          if (size > data.size() + 2) {
            data.append(pad, 0, size - data.size() - 2);
          }
          data += "\"}";
          send_all(conns[0].fd, frame("[{\"channel\":\"" + channel +
                                      "\",\"clientId\":\"floor\",\"data\":" + data + "}]"));
          if (next >= measure_from) {
            ++measured_sent;
          }
          next += period;
        }
        if (next < measure_to) {
          arm();
        }
        continue;
      }
      Conn& c = conns[index];
      char buf[65536];
      const ssize_t got = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
      if (got <= 0) {
        continue;
      }
      const std::int64_t received = now_ns() - begin;
      c.in.append(buf, static_cast<std::size_t>(got));
      // Whole frames: unmasked from the server, 2- or 4-byte headers at these sizes.
      std::size_t at = 0;
      while (c.in.size() - at >= 2) {
        std::size_t length = static_cast<unsigned char>(c.in[at + 1]) & 0x7f;
        std::size_t head = 2;
        if (length == 126) {
          if (c.in.size() - at < 4) {
            break;
          }
          length = static_cast<std::size_t>(static_cast<unsigned char>(c.in[at + 2])) << 8 |
                   static_cast<unsigned char>(c.in[at + 3]);
          head = 4;
        }
        if (c.in.size() - at < head + length) {
          break;
        }
        const std::string_view text(c.in.data() + at + head, length);
        const std::size_t t = text.find("\"t\":");
        if (t != std::string_view::npos) {
          const std::int64_t intended = std::strtoll(text.data() + t + 4, nullptr, 10);
          if (intended >= measure_from && intended < measure_to) {
            latencies.push_back(received - intended);
          }
        }
        at += head + length;
      }
      c.in.erase(0, at);
    }
  }
  std::sort(latencies.begin(), latencies.end());
  auto at = [&](double q) {
    if (latencies.empty()) {
      return 0.0;
    }
    const auto i = std::min(latencies.size() - 1,
                            static_cast<std::size_t>(q * static_cast<double>(latencies.size())));
    return static_cast<double>(latencies[i]) / 1e6;
  };
  std::printf("{\"count\":%zu,\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p99.9\":%.3f}\n",
              latencies.size(), at(0.5), at(0.9), at(0.99), at(0.999));
  const std::size_t expected = measured_sent * static_cast<std::size_t>(subscribers);
  if (latencies.size() != expected) {
    std::fprintf(stderr, "echo_floor: %zu deliveries of %zu expected\n", latencies.size(),
                 expected);
    return 1;
  }
  return 0;
}
