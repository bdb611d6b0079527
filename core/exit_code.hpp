// Exit status of a run, as INTERFACE.md's table gives it, and the one exception type.
#pragma once

#include <stdexcept>
#include <string>

namespace cometd {

/// Process exit codes (INTERFACE.md "Exit status"); sysexits.h values where one fits.
enum class ExitCode : int {
  ok = 0,
  failure = 1,         ///< a publish or subscription rejected for a non-auth reason; internal error
  usage = 64,          ///< EX_USAGE
  bad_input = 65,      ///< EX_DATAERR: bad stdin lines (after the good ones were published)
  no_input = 66,       ///< EX_NOINPUT: a named file cannot be read
  unavailable = 69,    ///< EX_UNAVAILABLE: never connected, TLS failure, reconnect none
  cant_create = 73,    ///< EX_CANTCREAT: the --replay-store file cannot be created or written
  io_error = 74,       ///< EX_IOERR: write error on stdout (not a closed pipe) or on the store
  connection_lost = 75,  ///< EX_TEMPFAIL: connection lost and not re-established in --timeout
  protocol = 76,       ///< EX_PROTOCOL: a reply that is not Bayeux
  auth = 77,           ///< EX_NOPERM: authentication or authorisation failure
  config = 78,         ///< EX_CONFIG: bad plugin or configuration
  timed_out = 124,     ///< --duration passed before --count was reached
  interrupted = 130,   ///< SIGINT
  terminated = 143,    ///< SIGTERM
};

constexpr int to_int(ExitCode code) { return static_cast<int>(code); }

/// The one exception of the program: thrown only before the event loop runs (a bad flag, an
/// unreadable file) and caught once, in cli_main, which prints "cometd-cli: <what>".
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace cometd
