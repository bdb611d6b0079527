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

/// Runs `command` with /bin/sh -c (its stderr passes through to ours) and reads its stdout:
/// one token line (→ Authorization: Bearer TOKEN) or a JSON object {"headers":{…},"ext":{…}}.
/// False with `error` set when it exits non-zero, is killed after `limit`, or prints neither.
/// Blocks: call it from a thread that may wait.
bool run_auth_command(const std::string& command, std::chrono::milliseconds limit,
                      Credentials& credentials, std::string& error);

/// Parses a helper's stdout (exposed for the unit tests).
bool parse_credentials(const std::string& output, Credentials& credentials, std::string& error);

}  // namespace cometd
