#include "trace.hpp"

#include <simdjson.h>

#include <atomic>
#include <cstring>
#include <ctime>
#include <mutex>

#include "bayeux/json_out.hpp"
#include "redact.hpp"
#include "utf8.hpp"

namespace cometd {

namespace {

std::atomic<TraceSink*> g_sink{nullptr};

constexpr std::size_t k_payload_limit = 64 * 1024;

/// A JSON string literal of `text`; bytes that are not UTF-8 become U+FFFD, so that the
/// record stays valid JSON whatever a server sent.
void append_string(std::string& out, std::string_view text) {
  if (simdjson::validate_utf8(text.data(), text.size())) {
    append_json_string(out, text);
    return;
  }
  std::string clean;
  clean.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size();) {
    unsigned code_point = 0;
    const std::size_t n = utf8_sequence(text.substr(i), code_point);
    if (n == 0) {
      clean += "\xEF\xBF\xBD";
      ++i;
    } else {
      clean.append(text.data() + i, n);
      i += n;
    }
  }
  append_json_string(out, clean);
}

/// "2026-12-03T10:14:02.123456Z": RFC 3339 UTC with microseconds, always this wide.
constexpr std::size_t k_stamp_size = 27;
constexpr std::string_view k_head = "{\"ts\":\"";

/// Writes the time now into `slot` (k_stamp_size bytes); the part up to the seconds is
/// formatted once per second.
void write_timestamp(char* slot) {
  static std::time_t cached_second = -1;  // guarded by the emit lock
  static char prefix[32];
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  const std::time_t second = static_cast<std::time_t>(us / 1000000);
  if (second != cached_second) {
    std::tm tm{};
    gmtime_r(&second, &tm);
    std::strftime(prefix, sizeof prefix, "%Y-%m-%dT%H:%M:%S", &tm);
    cached_second = second;
  }
  std::memcpy(slot, prefix, 19);
  slot[19] = '.';
  for (long long digits = us % 1000000, at = 25; at >= 20; --at, digits /= 10) {
    slot[at] = static_cast<char>('0' + digits % 10);
  }
  slot[26] = 'Z';
}

// Records come from several threads: the time is taken and the line handed over under one
// lock, so that the file is in time order.
std::mutex g_emit;

}  // namespace

void install_trace(TraceSink* sink) { g_sink.store(sink, std::memory_order_release); }

bool tracing() { return g_sink.load(std::memory_order_relaxed) != nullptr; }

void flush_trace() {
  if (TraceSink* sink = g_sink.load(std::memory_order_acquire)) {
    sink->flush();
  }
}

TraceRecord::TraceRecord(std::string_view event) {
  if (!tracing()) {
    emitted_ = true;  // nothing to build, nothing to write
    return;
  }
  line_.reserve(256);
  line_ += k_head;
  line_.append(k_stamp_size, '0');  // stamped at emit()
  line_ += "\",\"event\":";
  append_json_string(line_, event);
  first_ = false;
}

TraceRecord::~TraceRecord() { emit(); }

void TraceRecord::key(std::string_view key) {
  if (!first_) {
    line_ += ',';
  }
  first_ = false;
  append_json_string(line_, key);
  line_ += ':';
}

TraceRecord& TraceRecord::text(std::string_view key, std::string_view value) {
  if (!emitted_) {
    this->key(key);
    append_string(line_, value);
  }
  return *this;
}

TraceRecord& TraceRecord::payload(std::string_view key, std::string_view value) {
  if (emitted_) {
    return *this;
  }
  this->key(key);
  const bool cut = value.size() > k_payload_limit;
  append_string(line_, redact_json(cut ? value.substr(0, k_payload_limit) : value));
  if (cut) {
    return number(std::string(key) + "_bytes", static_cast<std::int64_t>(value.size()));
  }
  return *this;
}

TraceRecord& TraceRecord::url(std::string_view key, std::string_view value) {
  if (!emitted_) {
    this->key(key);
    append_string(line_, redact_url(value));
  }
  return *this;
}

TraceRecord& TraceRecord::number(std::string_view key, std::int64_t value) {
  if (!emitted_) {
    this->key(key);
    line_ += std::to_string(value);
  }
  return *this;
}

TraceRecord& TraceRecord::flag(std::string_view key, bool value) {
  if (!emitted_) {
    this->key(key);
    line_ += value ? "true" : "false";
  }
  return *this;
}

TraceRecord& TraceRecord::micros(std::string_view key, std::chrono::nanoseconds value) {
  return number(key, std::chrono::duration_cast<std::chrono::microseconds>(value).count());
}

TraceRecord& TraceRecord::json(std::string_view key, std::string_view raw, bool compact) {
  if (!emitted_) {
    this->key(key);
    if (compact) {
      append_redacted_json(line_, raw);
    } else {
      append_minified(line_, redact_json(raw));
    }
  }
  return *this;
}

TraceRecord& TraceRecord::headers(std::string_view key, const Headers& headers) {
  if (!emitted_) {
    this->key(key);
    line_ += '[';
    bool first = true;
    for (const auto& [name, value] : headers) {
      line_ += first ? "[" : ",[";
      first = false;
      append_string(line_, name);
      line_ += ',';
      append_string(line_, redact_header_value(name, value));
      line_ += ']';
    }
    line_ += ']';
  }
  return *this;
}

TraceRecord& TraceRecord::object(std::string_view key) {
  if (!emitted_) {
    this->key(key);
    line_ += '{';
    first_ = true;
  }
  return *this;
}

TraceRecord& TraceRecord::end_object() {
  if (!emitted_) {
    line_ += '}';
    first_ = false;
  }
  return *this;
}

void TraceRecord::emit() {
  if (emitted_) {
    return;
  }
  emitted_ = true;
  line_ += "}\n";
  std::lock_guard<std::mutex> lock(g_emit);
  if (TraceSink* sink = g_sink.load(std::memory_order_acquire)) {
    write_timestamp(line_.data() + k_head.size());
    sink->write(line_);
  }
}

}  // namespace cometd
