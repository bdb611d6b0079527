// The native echo server: what `bench` itself adds to the latency it reports, with as little of
// the server's own time left in the figure as one process on loopback can manage.
//
// A WebSocket-only Bayeux server in one thread (epoll, no library but simdjson and libcrypto's
// SHA-1): it answers handshake, connect, subscribe, unsubscribe and disconnect, replies to each
// publish and delivers it to the channel's subscribers the moment the frame is read. Each
// delivery's data.t (the publisher's intended send time, in ns) is moved later by the time the
// message spent in this process: from the return of the read(2) that completed its frame to
// just before the write(2) of that delivery. bench's receive − intended is then the client's
// work on both sides (the schedule to the socket, the socket to the recorded delivery), two
// loopback hops, and the time a frame waited in this server's socket before it was read; with
// --spin (epoll_wait never sleeps) that last wait is the length of one loop turn, not a wake-up.
//
//   echo_server [--spin]      listens on 127.0.0.1, a free port; prints {"port":N} on stdout
//
// Built by tests/bench/bench-client.sh:
//   c++ -O2 -std=c++17 tests/bench/echo_server.cpp -lsimdjson -lcrypto
// A measuring aid, not a server: exact channel names only (no wildcards), a held /meta/connect
// is answered after 20 s, frames over 16 MiB close the connection.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

constexpr std::size_t k_max_frame = 16u << 20;
constexpr std::int64_t k_hold_ns = 20'000'000'000;

struct Conn {
  int fd = -1;
  std::uint64_t serial = 0;
  bool upgraded = false;
  bool closing = false;
  std::string in;         // bytes read and not yet consumed
  std::string message;    // a fragmented message being gathered
  std::string out;        // bytes the socket did not take yet
  std::int64_t arrived = 0;  // when the read that completed the current frame returned
};

struct Held {  // a /meta/connect answered when its time is up
  std::int64_t due;
  std::uint64_t serial;
  std::string reply;
};

volatile sig_atomic_t g_stop = 0;
int g_epoll = -1;
std::uint64_t g_next_serial = 0;
std::uint64_t g_next_client = 0;
std::unordered_map<std::uint64_t, std::unique_ptr<Conn>> g_conns;  // by serial
std::map<std::string, std::set<std::uint64_t>, std::less<>> g_subscribers;
std::deque<Held> g_held;  // in due order: every hold is as long
simdjson::dom::parser g_parser;
std::vector<std::uint64_t> g_closing;  // connections to drop at the end of the loop's turn

void close_later(Conn& c) {
  if (!c.closing) {
    c.closing = true;
    g_closing.push_back(c.serial);
  }
}

void append_escaped(std::string& out, std::string_view s) {
  out += '"';
  for (const unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void watch_output(Conn& c, bool on) {
  epoll_event ev{};
  ev.events = EPOLLIN | (on ? EPOLLOUT : 0u);
  ev.data.u64 = c.serial;
  ::epoll_ctl(g_epoll, EPOLL_CTL_MOD, c.fd, &ev);
}

/// Writes what the socket takes now; false when the connection is broken.
bool send_now(Conn& c, std::string_view& bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return true;
    } else {
      close_later(c);
      return false;
    }
  }
  return true;
}

void send_raw(Conn& c, std::string_view bytes) {
  if (c.closing) {
    return;
  }
  if (c.out.empty()) {
    if (!send_now(c, bytes) || bytes.empty()) {
      return;
    }
    watch_output(c, true);
  }
  c.out.append(bytes.data(), bytes.size());
}

void flush_output(Conn& c) {
  std::string_view rest(c.out);
  const bool ok = send_now(c, rest);
  c.out.erase(0, c.out.size() - rest.size());
  if (ok && c.out.empty()) {
    watch_output(c, false);
  }
}

void send_frame(Conn& c, unsigned opcode, std::string_view payload) {
  std::string frame;
  frame.reserve(payload.size() + 10);
  frame += static_cast<char>(0x80 | opcode);
  if (payload.size() < 126) {
    frame += static_cast<char>(payload.size());
  } else if (payload.size() < 65536) {
    frame += static_cast<char>(126);
    frame += static_cast<char>(payload.size() >> 8);
    frame += static_cast<char>(payload.size() & 0xff);
  } else {
    frame += static_cast<char>(127);
    for (int shift = 56; shift >= 0; shift -= 8) {
      frame += static_cast<char>((static_cast<std::uint64_t>(payload.size()) >> shift) & 0xff);
    }
  }
  frame.append(payload.data(), payload.size());
  send_raw(c, frame);
}

std::string minified(simdjson::dom::element e) { return simdjson::minify(e); }

/// The delivery of `data` on `channel`, with data.t moved later by the time since `arrived`.
void deliver(Conn& target, std::string_view channel, simdjson::dom::element data,
             std::int64_t arrived) {
  std::string text = "[{\"channel\":";
  append_escaped(text, channel);
  text += ",\"data\":";
  simdjson::dom::object object;
  if (data.get_object().get(object) != simdjson::SUCCESS) {
    text += minified(data);
  } else {
    text += '{';
    bool first = true;
    for (auto field : object) {
      if (!first) {
        text += ',';
      }
      first = false;
      append_escaped(text, field.key);
      text += ':';
      std::int64_t t = 0;
      if (field.key == "t" && field.value.get_int64().get(t) == simdjson::SUCCESS) {
        // The residence time, taken at the last moment before the frame goes to the socket.
        text += std::to_string(t + (now_ns() - arrived));
      } else {
        text += minified(field.value);
      }
    }
    text += '}';
  }
  text += "}]";
  send_frame(target, 1, text);
}

void subscribe(Conn& c, simdjson::dom::element subscription, bool add) {
  auto one = [&](std::string_view channel) {
    if (add) {
      g_subscribers[std::string(channel)].insert(c.serial);
    } else if (auto it = g_subscribers.find(channel); it != g_subscribers.end()) {
      it->second.erase(c.serial);
    }
  };
  std::string_view channel;
  if (subscription.get_string().get(channel) == simdjson::SUCCESS) {
    one(channel);
  } else if (subscription.is_array()) {
    for (auto item : subscription.get_array()) {
      if (item.get_string().get(channel) == simdjson::SUCCESS) {
        one(channel);
      }
    }
  }
}

void answer(Conn& c, std::string_view text) {
  simdjson::dom::element doc;
  if (g_parser.parse(text.data(), text.size()).get(doc) != simdjson::SUCCESS) {
    close_later(c);
    return;
  }
  std::vector<simdjson::dom::element> messages;
  if (doc.is_array()) {
    for (auto m : doc.get_array()) {
      messages.push_back(m);
    }
  } else {
    messages.push_back(doc);
  }
  std::string replies;
  std::vector<simdjson::dom::element> publishes;
  for (auto m : messages) {
    std::string_view channel;
    if (!m.is_object() || m["channel"].get_string().get(channel) != simdjson::SUCCESS) {
      continue;
    }
    std::string reply = "{";
    simdjson::dom::element id;
    if (m["id"].get(id) == simdjson::SUCCESS) {
      reply += "\"id\":" + minified(id) + ",";
    }
    reply += "\"channel\":";
    append_escaped(reply, channel);
    reply += ",\"successful\":true";
    if (channel == "/meta/handshake") {
      reply += ",\"clientId\":\"echo-" + std::to_string(++g_next_client) +
               "\",\"version\":\"1.0\",\"supportedConnectionTypes\":[\"websocket\"],"
               "\"advice\":{\"reconnect\":\"retry\",\"interval\":0,\"timeout\":20000}";
    } else if (channel == "/meta/connect") {
      std::int64_t timeout = -1;
      if (m.at_pointer("/advice/timeout").get_int64().get(timeout) != simdjson::SUCCESS ||
          timeout != 0) {
        // Held, as a real server holds it.
        g_held.push_back({now_ns() + k_hold_ns, c.serial, "[" + reply + "}]"});
        continue;
      }
      reply += ",\"advice\":{\"reconnect\":\"retry\",\"interval\":0,\"timeout\":20000}";
    } else if (channel == "/meta/subscribe" || channel == "/meta/unsubscribe") {
      simdjson::dom::element subscription;
      if (m["subscription"].get(subscription) == simdjson::SUCCESS) {
        subscribe(c, subscription, channel == "/meta/subscribe");
        reply += ",\"subscription\":" + minified(subscription);
      }
    } else if (channel.substr(0, 6) != "/meta/") {
      publishes.push_back(m);
    }
    replies += replies.empty() ? "[" : ",";
    replies += reply + "}";
  }
  // Deliveries first: they are what the latency is measured on.
  for (auto m : publishes) {
    std::string_view channel = m["channel"].get_string().value_unsafe();
    simdjson::dom::element data;
    if (m["data"].get(data) != simdjson::SUCCESS) {
      continue;
    }
    auto it = g_subscribers.find(channel);
    if (it == g_subscribers.end()) {
      continue;
    }
    for (const std::uint64_t serial : it->second) {
      auto target = g_conns.find(serial);
      if (target != g_conns.end() && target->second->upgraded) {
        deliver(*target->second, channel, data, c.arrived);
      }
    }
  }
  if (!replies.empty()) {
    replies += "]";
    send_frame(c, 1, replies);
  }
}

std::string websocket_accept(std::string_view key) {
  const std::string text = std::string(key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  ::SHA1(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  unsigned char out[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  const int n = ::EVP_EncodeBlock(out, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') {
      ch = static_cast<char>(ch - 'A' + 'a');
    }
  }
  return out;
}

/// The HTTP upgrade; false while the request's head is incomplete.
bool upgrade(Conn& c) {
  const std::size_t end = c.in.find("\r\n\r\n");
  if (end == std::string::npos) {
    if (c.in.size() > 65536) {
      close_later(c);
    }
    return false;
  }
  std::string key;
  std::size_t at = c.in.find("\r\n");
  while (at < end) {
    const std::size_t next = c.in.find("\r\n", at + 2);
    const std::string_view line(c.in.data() + at + 2, next - at - 2);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos && lower(line.substr(0, colon)) == "sec-websocket-key") {
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
      }
      while (!value.empty() && value.back() == ' ') {
        value.remove_suffix(1);
      }
      key = std::string(value);
    }
    at = next;
  }
  c.in.erase(0, end + 4);
  if (key.empty()) {
    send_raw(c, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    close_later(c);
    return false;
  }
  send_raw(c, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Accept: " + websocket_accept(key) + "\r\n\r\n");
  c.upgraded = true;
  return true;
}

/// Consumes the whole frames in c.in.
void frames(Conn& c) {
  std::size_t at = 0;
  while (!c.closing && c.in.size() - at >= 2) {
    const auto* p = reinterpret_cast<const unsigned char*>(c.in.data() + at);
    const std::size_t avail = c.in.size() - at;
    const bool fin = (p[0] & 0x80) != 0;
    const unsigned opcode = p[0] & 0x0f;
    const bool masked = (p[1] & 0x80) != 0;
    std::uint64_t length = p[1] & 0x7f;
    std::size_t head = 2;
    if (length == 126) {
      if (avail < 4) {
        break;
      }
      length = static_cast<std::uint64_t>(p[2]) << 8 | p[3];
      head = 4;
    } else if (length == 127) {
      if (avail < 10) {
        break;
      }
      length = 0;
      for (int i = 0; i < 8; ++i) {
        length = length << 8 | p[2 + i];
      }
      head = 10;
    }
    if (length > k_max_frame || !masked) {  // a client's frames are masked (RFC 6455 5.1)
      close_later(c);
      break;
    }
    if (avail < head + 4 + length) {
      break;
    }
    const unsigned char* mask = p + head;
    std::string payload(c.in.data() + at + head + 4, static_cast<std::size_t>(length));
    for (std::size_t i = 0; i < payload.size(); ++i) {
      payload[i] = static_cast<char>(payload[i] ^ mask[i % 4]);
    }
    at += head + 4 + static_cast<std::size_t>(length);
    if (opcode == 0x8) {
      send_frame(c, 0x8, payload.substr(0, 2));
      close_later(c);
    } else if (opcode == 0x9) {
      send_frame(c, 0xA, payload);
    } else if (opcode == 0x1 || opcode == 0x2 || opcode == 0x0) {
      c.message += payload;
      if (fin) {
        std::string text;
        text.swap(c.message);
        answer(c, text);
      } else if (c.message.size() > k_max_frame) {
        close_later(c);
      }
    }
  }
  c.in.erase(0, at);
}

void drop(std::uint64_t serial) {
  auto it = g_conns.find(serial);
  if (it == g_conns.end()) {
    return;
  }
  for (auto& [channel, set] : g_subscribers) {
    set.erase(serial);
  }
  ::close(it->second->fd);
  g_conns.erase(it);
}

void readable(Conn& c) {
  char buf[65536];
  for (;;) {
    const ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
    if (n > 0) {
      c.arrived = now_ns();
      c.in.append(buf, static_cast<std::size_t>(n));
      if (!c.upgraded && !upgrade(c)) {
        return;
      }
      frames(c);
      if (c.closing) {
        return;
      }
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return;
    } else {
      close_later(c);
      return;
    }
  }
}

void on_signal(int) { g_stop = 1; }

}  // namespace

int main(int argc, char** argv) {
  bool spin = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--spin") == 0) {
      spin = true;
    } else {
      std::fprintf(stderr, "usage: echo_server [--spin]\n");
      return 64;
    }
  }
  ::signal(SIGTERM, on_signal);
  ::signal(SIGINT, on_signal);
  const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t addr_len = sizeof addr;
  if (listener < 0 || ::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(listener, 1024) != 0 ||
      ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &addr_len) != 0) {
    std::perror("echo_server: listen");
    return 71;
  }
  g_epoll = ::epoll_create1(EPOLL_CLOEXEC);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = 0;  // serial 0 is the listener
  ::epoll_ctl(g_epoll, EPOLL_CTL_ADD, listener, &ev);
  std::printf("{\"port\":%d}\n", ntohs(addr.sin_port));
  std::fflush(stdout);

  epoll_event events[64];
  while (!g_stop) {
    int wait_ms = 0;
    if (!spin) {
      wait_ms = 1000;
      if (!g_held.empty()) {
        const std::int64_t left = (g_held.front().due - now_ns()) / 1000000;
        wait_ms = left < 0 ? 0 : left < 1000 ? static_cast<int>(left) + 1 : 1000;
      }
    }
    const int n = ::epoll_wait(g_epoll, events, 64, wait_ms);
    for (int i = 0; i < n; ++i) {
      const std::uint64_t serial = events[i].data.u64;
      if (serial == 0) {
        for (;;) {
          const int fd = ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (fd < 0) {
            break;
          }
          const int one = 1;
          ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          auto conn = std::make_unique<Conn>();
          conn->fd = fd;
          conn->serial = ++g_next_serial;
          epoll_event add{};
          add.events = EPOLLIN;
          add.data.u64 = conn->serial;
          ::epoll_ctl(g_epoll, EPOLL_CTL_ADD, fd, &add);
          g_conns.emplace(conn->serial, std::move(conn));
        }
        continue;
      }
      auto it = g_conns.find(serial);
      if (it == g_conns.end()) {
        continue;
      }
      Conn& c = *it->second;
      if (events[i].events & EPOLLOUT) {
        flush_output(c);
      }
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        readable(c);
      }
    }
    const std::int64_t now = now_ns();
    while (!g_held.empty() && g_held.front().due <= now) {
      auto it = g_conns.find(g_held.front().serial);
      if (it != g_conns.end()) {
        send_frame(*it->second, 1, g_held.front().reply);
      }
      g_held.pop_front();
    }
    // Closed at the end of the turn, so that no event of this turn meets a freed connection.
    for (const std::uint64_t serial : g_closing) {
      drop(serial);
    }
    g_closing.clear();
  }
  return 0;
}
