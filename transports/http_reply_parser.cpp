#include "http_reply_parser.hpp"

#include <strings.h>

#include <algorithm>
#include <cctype>

#include "bayeux/json_out.hpp"
#include "bayeux/raw_json.hpp"
#include "header_field.hpp"

namespace cometd {

namespace {

constexpr std::size_t k_max_chunk_line = 1024;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && ::strncasecmp(a.data(), b.data(), a.size()) == 0;
}

/// Whether the comma-separated list `value` holds `token` (case-insensitive).
bool list_has(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) {
      item.remove_prefix(1);
    }
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) {
      item.remove_suffix(1);
    }
    if (iequals(item, token)) {
      return true;
    }
    value = comma == std::string_view::npos ? std::string_view{} : value.substr(comma + 1);
  }
  return false;
}

}  // namespace

std::string size_text(std::size_t bytes) {
  static constexpr const char* k_units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (unit < 4 && bytes >= 1024 && bytes % 1024 == 0) {
    bytes /= 1024;
    ++unit;
  }
  return std::to_string(bytes) + " " + k_units[unit];
}

ReplyParser::ReplyParser(const HttpLimits& limits, bool head_only)
    : limits_(limits), head_only_(head_only) {}

bool ReplyParser::fail(std::string why, bool limit) {
  state_ = State::failed;
  oversized_ = limit;
  error_ = std::move(why);
  return false;
}

bool ReplyParser::head_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  if (!status_seen_) {
    // HTTP/1.1 200 OK; a status under 100 is no status at all (RFC 9110 15)
    if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[8] != ' ' || line[9] < '1' ||
        line[9] > '9' ||
        !std::isdigit(static_cast<unsigned char>(line[10])) ||
        !std::isdigit(static_cast<unsigned char>(line[11])) ||
        (line.size() > 12 && line[12] != ' ')) {
      return fail("is not HTTP/1.x", false);
    }
    reply_.status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    reply_.reason = std::string(line.size() > 13 ? line.substr(13) : std::string_view());
    keep_alive_ = line[7] == '1';
    status_seen_ = true;
    return true;
  }
  if (line.empty()) {
    return end_of_head();
  }
  if (++header_count_ > limits_.max_header_count) {
    return fail("has over " + std::to_string(limits_.max_header_count) + " headers", true);
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || !is_header_name(line.substr(0, colon))) {
    return fail("has a malformed header line", false);
  }
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
    value.remove_prefix(1);
  }
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) {
    value.remove_suffix(1);
  }
  if (chunk_ == Chunk::trailer) {
    return true;  // trailers are counted and dropped
  }
  reply_.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return true;
}

bool ReplyParser::end_of_head() {
  if (chunk_ == Chunk::trailer) {
    state_ = State::done;
    return true;
  }
  if (reply_.status >= 100 && reply_.status < 200 && !head_only_) {
    // An interim reply (100 Continue): the real one follows.
    status_seen_ = false;
    reply_ = HttpReply{};
    return true;
  }
  bool chunked = false;
  bool has_length = false;
  std::uint64_t length = 0;
  for (const auto& [name, value] : reply_.headers) {
    if (iequals(name, "Connection") && list_has(value, "close")) {
      keep_alive_ = false;
    } else if (iequals(name, "Transfer-Encoding")) {
      chunked = list_has(value, "chunked");
    } else if (iequals(name, "Content-Length")) {
      if (value.empty() || value.size() > 19 ||
          !std::all_of(value.begin(), value.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        return fail("has a bad Content-Length", false);
      }
      length = std::stoull(value);
      has_length = true;
    }
  }
  if (head_only_ || reply_.status == 204 || reply_.status == 304) {
    state_ = State::done;
    return true;
  }
  state_ = State::body;
  if (chunked) {
    body_ = Body::chunked;
  } else if (has_length) {
    if (length > limits_.max_body) {
      return fail("is over the " + size_text(limits_.max_body) + " limit (--max-message-size)",
                  true);
    }
    body_ = Body::length;
    left_ = length;
    reply_.body.reserve(static_cast<std::size_t>(length));
    if (length == 0) {
      state_ = State::done;
    }
  } else {
    body_ = Body::until_eof;
    keep_alive_ = false;
  }
  return true;
}

bool ReplyParser::append_body(std::string_view bytes) {
  if (bytes.size() > limits_.max_body - reply_.body.size()) {
    return fail("is over the " + size_text(limits_.max_body) + " limit (--max-message-size)",
                true);
  }
  // A body of unknown length gets room for the whole limit at once, up to 256 MiB: untouched
  // pages cost no memory, and growing by doubling would hold the old copy and the new one
  // (plus what malloc keeps) at the peak.
  const std::size_t need = reply_.body.size() + bytes.size();
  if (need > reply_.body.capacity()) {
    constexpr std::size_t k_max_upfront = std::size_t{256} << 20;
    const std::size_t upfront = std::min(limits_.max_body, k_max_upfront);
    reply_.body.reserve(
        std::min(limits_.max_body, std::max({need, reply_.body.capacity() * 2, upfront})));
  }
  reply_.body.append(bytes.data(), bytes.size());
  return true;
}

bool ReplyParser::take_counted(std::string_view data, std::size_t& used) {
  const auto n =
      static_cast<std::size_t>(std::min<std::uint64_t>(left_, data.size() - used));
  if (!append_body(data.substr(used, n))) {
    return false;
  }
  used += n;
  left_ -= n;
  return true;
}

std::size_t ReplyParser::feed(std::string_view data) {
  std::size_t used = 0;
  if (!data.empty()) {
    started_ = true;
  }
  auto take_line = [&](std::size_t max, std::string_view& line) -> int {
    // 1: a line, 0: need more, -1: too long
    const auto nl = data.find('\n', used);
    if (nl == std::string_view::npos) {
      line_.append(data.substr(used));
      used = data.size();
      return line_.size() > max ? -1 : 0;
    }
    line_.append(data.substr(used, nl - used));
    used = nl + 1;
    if (line_.size() > max) {
      return -1;
    }
    line = line_;
    return 1;
  };
  while (used < data.size() && (state_ == State::head || state_ == State::body)) {
    const bool in_head =
        state_ == State::head || (body_ == Body::chunked && chunk_ == Chunk::trailer);
    if (in_head) {
      const std::size_t before = used;
      std::string_view line;
      const std::size_t room = limits_.max_header_bytes > head_bytes_
                                   ? limits_.max_header_bytes - head_bytes_
                                   : 0;
      // The part of the line read before is counted in head_bytes_ already.
      const int got = take_line(line_.size() + room, line);
      head_bytes_ += used - before;
      if (got < 0 || head_bytes_ > limits_.max_header_bytes) {
        fail("has headers over " + size_text(limits_.max_header_bytes), true);
        break;
      }
      if (got == 0) {
        break;
      }
      const bool ok = head_line(line);
      line_.clear();
      if (!ok) {
        break;
      }
      if (head_only_ && state_ == State::done) {
        break;  // the rest is the tunnel's
      }
      continue;
    }
    switch (body_) {
      case Body::none:
        state_ = State::done;
        break;
      case Body::length:
        if (!take_counted(data, used)) {
          return used;
        }
        if (left_ == 0) {
          state_ = State::done;
        }
        break;
      case Body::until_eof:
        if (!append_body(data.substr(used))) {
          return used;
        }
        used = data.size();
        break;
      case Body::chunked:
        if (chunk_ == Chunk::size || chunk_ == Chunk::data_end) {
          std::string_view line;
          const int got = take_line(k_max_chunk_line, line);
          if (got < 0) {
            fail("has a malformed chunk", false);
            return used;
          }
          if (got == 0) {
            return used;
          }
          if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
          }
          if (chunk_ == Chunk::data_end) {
            if (!line.empty()) {
              fail("has a malformed chunk", false);
              return used;
            }
            line_.clear();
            chunk_ = Chunk::size;
            break;
          }
          std::uint64_t size = 0;
          std::size_t digits = 0;
          for (const char c : line) {
            const int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                          : (c >= 'a' && c <= 'f')                   ? c - 'a' + 10
                          : (c >= 'A' && c <= 'F')                   ? c - 'A' + 10
                                                                      : -1;
            if (v < 0) {
              break;  // chunk extensions are ignored
            }
            if (++digits > 15) {
              fail("is over the " + size_text(limits_.max_body) +
                       " limit (--max-message-size)",
                   true);
              return used;
            }
            size = size * 16 + static_cast<std::uint64_t>(v);
          }
          line_.clear();
          if (digits == 0) {
            fail("has a malformed chunk", false);
            return used;
          }
          if (size > limits_.max_body - reply_.body.size()) {
            fail("is over the " + size_text(limits_.max_body) + " limit (--max-message-size)",
                 true);
            return used;
          }
          left_ = size;
          chunk_ = size == 0 ? Chunk::trailer : Chunk::data;
        } else if (chunk_ == Chunk::data) {
          if (!take_counted(data, used)) {
            return used;
          }
          if (left_ == 0) {
            chunk_ = Chunk::data_end;
          }
        }
        break;
    }
  }
  return used;
}

void ReplyParser::trim() {
  if (reply_.body.capacity() > 2 * reply_.body.size() + 4096) {
    reply_.body.shrink_to_fit();
  }
}

bool ReplyParser::finish_at_eof() {
  if (state_ == State::body && body_ == Body::until_eof) {
    state_ = State::done;
    return true;
  }
  return state_ == State::done;
}

std::string http_status_text(int status, std::string_view reason, std::string_view body) {
  std::string text = "HTTP " + std::to_string(status);
  if (!reason.empty()) {
    text += " " + excerpt(reason, 60);
  }
  // The first bytes of the body, on one line: an error page's runs of white space (line
  // breaks, indentation) read as one space.
  std::string flat;
  for (const char c : trim_json_whitespace(body.substr(0, 400))) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (!space || (!flat.empty() && flat.back() != ' ')) {
      flat.push_back(space ? ' ' : c);
    }
  }
  if (!flat.empty()) {
    text += ": " + excerpt(flat, 100);
  }
  return text;
}

ProxyRefusal proxy_refusal(std::string_view proxy, std::string_view target, int status,
                           std::string_view reason) {
  ProxyRefusal r;
  const std::string how = " (" + http_status_text(status, reason, {}) + ")";
  // 502-504: the proxy cannot reach the server (down, restarting), which is an outage like a
  // refused connection; any other status is the proxy's policy (403, 407), which no retry
  // changes.
  r.retry = status >= 502 && status <= 504;
  r.detail = r.retry ? "the proxy " + std::string(proxy) + " could not reach " +
                           std::string(target) + how
                     : "the proxy " + std::string(proxy) + " refused CONNECT " +
                           std::string(target) + how;
  return r;
}

}  // namespace cometd
