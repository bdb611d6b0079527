// --trace: one NDJSON record per wire and session event, for whoever debugs a server. The
// engine and the transports build records; where they go (a file, stderr) is the app's
// TraceSink. Process-wide like the log: a record can come from any thread, and with --trace
// off building one costs a single atomic load.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cometd {

/// Where records go. write() gets one whole line (newline included) and may be called from
/// any thread at once; it must keep lines whole and in the order of the calls.
class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void write(std::string_view line) = 0;
  /// Returns once what was written before is out (bounded); before the process exits.
  virtual void flush() {}
};

/// Installs the process's sink (nullptr: tracing off). The sink must outlive every record.
void install_trace(TraceSink* sink);

/// Whether --trace is on: check it before building a record.
bool tracing();

/// The installed sink's flush(), if any: every exit path calls it.
void flush_trace();

/// One record: `{"ts":"2026-12-03T10:14:02.123456Z","event":"…",…}`, written when emit() is
/// called (or at destruction). `ts` is taken then, under the lock that hands the line over:
/// the records of every thread are in time order. Every value a server or the user wrote goes through the
/// redaction rule of -vvv: secret headers, JSON members and URL parameters are "[redacted]",
/// cookies keep their names and attributes.
class TraceRecord {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  explicit TraceRecord(std::string_view event);
  ~TraceRecord();
  TraceRecord(const TraceRecord&) = delete;
  TraceRecord& operator=(const TraceRecord&) = delete;

  /// A string member, escaped (bytes that are not UTF-8 become U+FFFD).
  TraceRecord& text(std::string_view key, std::string_view value);
  /// A string member whose text may hold secrets (a body, a frame): redacted as JSON text.
  /// Text over 64 KiB is cut there, and `<key>_bytes` gives its whole size: a batch that big
  /// is still all in the trace, one bayeux.in or bayeux.out record per message.
  TraceRecord& payload(std::string_view key, std::string_view value);
  /// A URL, redacted (user:password@ and secret parameters).
  TraceRecord& url(std::string_view key, std::string_view value);
  TraceRecord& number(std::string_view key, std::int64_t value);
  TraceRecord& flag(std::string_view key, bool value);
  /// Microseconds, as a number.
  TraceRecord& micros(std::string_view key, std::chrono::nanoseconds value);
  /// A JSON value that is known valid (a parsed Bayeux message), redacted; `compact`: it has
  /// no whitespace outside strings already.
  TraceRecord& json(std::string_view key, std::string_view raw, bool compact = false);
  /// Headers as [["Name","value"],…], in order, each value redacted by its name.
  TraceRecord& headers(std::string_view key, const Headers& headers);
  /// Opens a nested object member; close it with end_object().
  TraceRecord& object(std::string_view key);
  TraceRecord& end_object();

  /// Writes the record now (once).
  void emit();

 private:
  void key(std::string_view key);

  std::string line_;
  bool first_ = true;
  bool emitted_ = false;
};

}  // namespace cometd
