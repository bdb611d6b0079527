#include "bench/payload.hpp"

namespace cometd {

std::string make_payload(std::uint64_t publisher, std::uint64_t seq, std::int64_t intended_ns,
                         std::size_t size, const std::string& pad) {
  std::string out = "{\"p\":" + std::to_string(publisher) + ",\"s\":" + std::to_string(seq) +
                    ",\"t\":" + std::to_string(intended_ns) + ",\"x\":\"";
  const std::size_t fixed = out.size() + 2;
  if (size > fixed) {
    out.append(pad, 0, size - fixed);
  }
  out += "\"}";
  return out;
}

namespace {

/// The integer after "KEY": in `data`, or false.
bool number_after(std::string_view data, std::string_view key, std::int64_t& value) {
  std::size_t at = data.find(key);
  if (at == std::string_view::npos) {
    return false;
  }
  at += key.size();
  while (at < data.size() && (data[at] == ' ' || data[at] == '\t')) {
    ++at;
  }
  if (at >= data.size() || data[at] != ':') {
    return false;
  }
  ++at;
  while (at < data.size() && (data[at] == ' ' || data[at] == '\t')) {
    ++at;
  }
  bool negative = false;
  if (at < data.size() && data[at] == '-') {
    negative = true;
    ++at;
  }
  std::int64_t n = 0;
  std::size_t digits = 0;
  while (at < data.size() && data[at] >= '0' && data[at] <= '9' && digits < 18) {
    n = n * 10 + (data[at++] - '0');
    ++digits;
  }
  if (digits == 0) {
    return false;
  }
  value = negative ? -n : n;
  return true;
}

}  // namespace

bool parse_payload(std::string_view data, BenchPayload& out) {
  std::int64_t p = 0;
  std::int64_t s = 0;
  std::int64_t t = 0;
  if (!number_after(data, "\"p\"", p) || !number_after(data, "\"s\"", s) ||
      !number_after(data, "\"t\"", t) || p < 0 || s < 0) {
    return false;
  }
  out.publisher = static_cast<std::uint64_t>(p);
  out.seq = static_cast<std::uint64_t>(s);
  out.intended_ns = t;
  return true;
}

}  // namespace cometd
