// The sink of --trace FILE: records appended to a private file (0600: it holds message data),
// or to stderr for "-".
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "trace.hpp"

namespace cometd {

class TraceFile final : public TraceSink {
 public:
  /// Creates (truncates) `path`, or takes stderr for "-". Throws Error(cannot_create) with a
  /// message naming the file when it cannot be created.
  static std::unique_ptr<TraceFile> open(const std::string& path);
  ~TraceFile() override;
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;

  /// One write(2) per record, under a lock: lines stay whole and in order, and a record is in
  /// the file as soon as the event happened (`tail -f` shows it). A failed write is reported
  /// once on stderr and ends the trace; the run goes on.
  void write(std::string_view line) override;

 private:
  TraceFile(int fd, bool owned, std::string name);

  std::mutex mutex_;
  int fd_;
  bool owned_;
  bool failed_ = false;
  std::string name_;
};

}  // namespace cometd
