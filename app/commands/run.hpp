// Wires one run: io_context, logger, cookie jar, transports, session, stdout writer, signals.
#pragma once

#include "cli/options.hpp"
#include "session/session.hpp"

namespace cometd {

/// Runs the command `options` describes; returns the process exit code.
int run(const Options& options);

/// The headers of every request: -H, --bearer, and our User-Agent.
Headers base_headers(const Options& options);

/// The session's options from the command line's. A subscribe or bench that has connected
/// retries a lost connection until it is back unless --timeout was given (then that long).
SessionOptions session_options_for(const Options& options);

}  // namespace cometd
