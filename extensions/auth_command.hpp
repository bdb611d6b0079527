// --auth-command: the credential helper form of the seed's AuthExtension.authenticate().
#pragma once

#include <chrono>
#include <string>

#include "session/transport.hpp"

namespace cometd {

struct Credentials {
  Headers headers;      ///< added to every request and WebSocket upgrade
  std::string ext;      ///< JSON members merged into the handshake's ext, or empty
};

/// Runs `command` with /bin/sh -c in its own process group, with only stdin (/dev/null),
/// stdout (a pipe) and our stderr open, and reads its stdout until it exits (a background
/// child that keeps the pipe open is not waited for; the group is ended after it):
/// one token line (→ Authorization: Bearer TOKEN) or a JSON object {"headers":{…},"ext":{…}}.
/// False with `error` set when it exits non-zero, is killed after `limit`, or prints neither.
/// Blocks: call it from a thread that may wait.
bool run_auth_command(const std::string& command, std::chrono::milliseconds limit,
                      Credentials& credentials, std::string& error);

/// Async-signal-safe: ends every helper running now or later (its whole process group, SIGTERM
/// then SIGKILL); run_auth_command() then fails with "interrupted". `signal_number` (0: none)
/// is kept for auth_interrupt_signal().
void interrupt_auth_helpers(int signal_number);
/// The signal given to interrupt_auth_helpers(), or 0.
int auth_interrupt_signal();

/// Parses a helper's stdout (exposed for the unit tests).
bool parse_credentials(const std::string& output, Credentials& credentials, std::string& error);

}  // namespace cometd
