// The sink of --trace FILE: records appended to a private file (0600: it holds message data),
// or to stderr for "-".
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "trace.hpp"

namespace cometd {

class TraceFile final : public TraceSink {
 public:
  /// Creates (truncates) `path`, or takes stderr for "-". Throws Error(cannot_create) with a
  /// message naming the file when it cannot be created.
  static std::unique_ptr<TraceFile> open(const std::string& path);
  /// Writes what is pending and ends the writer. (The command line never destroys its trace:
  /// a lane thread left behind may still record.)
  ~TraceFile() override;
  TraceFile(const TraceFile&) = delete;
  TraceFile& operator=(const TraceFile&) = delete;

  /// Hands the record to the writer thread, which writes what has gathered in one write(2)
  /// 10 ms after the first record of a burst (or once 64 KiB have): lines stay whole and in
  /// order, a record reaches the file about 10 ms after its event (`tail -f` follows a run),
  /// and a burst of records costs a few system calls instead of one each. A failed write is reported once on stderr
  /// and ends the trace; the run goes on.
  void write(std::string_view line) override;
  /// Has everything handed over written at once, and waits for it (1 s at most).
  void flush() override;

 private:
  TraceFile(int fd, bool owned, std::string name);
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;      // the writer: records are waiting
  std::condition_variable written_;   // flush(): the writer is idle again
  std::string pending_;               // handed over, not yet written
  bool writing_ = false;              // the writer is in write(2)
  int flushing_ = 0;                  // flush() calls waiting
  bool stopping_ = false;             // the destructor: write what is pending, then end
  bool failed_ = false;
  int fd_;
  bool owned_;
  std::string name_;
  std::thread thread_;  // the writer
};

}  // namespace cometd
