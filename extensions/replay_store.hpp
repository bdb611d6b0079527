// The --replay-store file, {"/channel": replayId}, shared by every run that names it.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cometd {

/// A replay position the store and the replay extension accept: a JSON integer that fits in 64
/// bits, or a JSON string of at most 256 bytes. Anything else (an object, 1e999, a fraction)
/// comes from a confused or hostile publisher and is never stored.
bool is_replay_position(std::string_view json);

/// Reads and writes the store. Every write happens under an advisory lock (flock) on the
/// store, re-reads it and merges, so runs sharing it keep each other's channels; it goes to a
/// private temporary file beside the store (mkstemp: 0600, never a planted symlink), fsynced,
/// renamed over the store, and the directory is fsynced. Blocking: call it on the io thread.
class ReplayStore {
 public:
  using Positions = std::map<std::string, std::string>;  ///< channel → JSON text of the id

  /// Opens the store, creating it when absent, reads it and writes it back at once, so that a
  /// store that cannot be written is known before anything is received. Throws Error:
  /// 73 when it cannot be created or written, 66 when it cannot be read, 78 when it is not a
  /// JSON object of positions (then it is left alone: it may be another file).
  explicit ReplayStore(std::string path);

  /// The positions read at the start.
  const Positions& initial() const { return initial_; }
  /// Channels whose entry in the store was not a position: dropped (the caller warns).
  const std::vector<std::string>& dropped() const { return dropped_; }
  const std::string& path() const { return path_; }

  /// Sets `positions` over what the store holds now and writes it; false with the reason.
  bool save(const Positions& positions, std::string& error);

 private:
  std::string path_;
  Positions initial_;
  std::vector<std::string> dropped_;
};

}  // namespace cometd
