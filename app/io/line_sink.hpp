// The seam between the commands and stdout: a command writes its lines through a LineSink
// (LineWriter on stdout; a fake in the tests) and hears back through LineSink::Event.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cometd {

class LineSink {
 public:
  /// What happened to the lines, reported to the command on the io thread.
  enum class Event {
    written,  ///< `count` more lines are out
    closed,   ///< the reader went away (EPIPE, or POLLERR on an idle pipe): a clean end
    failed,   ///< any other write error; `count` holds the errno
    drained,  ///< after close(): everything queued is written and the sink is done
  };

  virtual ~LineSink() = default;
  /// Queues `count` complete lines (`text` ends with '\n'). Never blocks. Lines queued after
  /// the sink ended are dropped.
  virtual void write(std::string_view text, std::size_t count) = 0;
  /// The same, emptying `text`: its buffer may be taken over (no copy).
  virtual void write_buffer(std::string& text, std::size_t count) = 0;
  /// Lines queued and not yet written.
  virtual std::size_t pending() const = 0;
  /// Finishes writing what is queued, then stops: Event::drained (or closed, failed) follows.
  /// Never blocks.
  virtual void close() = 0;
};

}  // namespace cometd
