// Wires one run: io_context, logger, cookie jar, transports, session, stdout writer, signals.
#pragma once

#include "cli/options.hpp"

namespace cometd {

/// Runs the command `options` describes; returns the process exit code.
int run(const Options& options);

/// The headers of every request: -H, --bearer, and our User-Agent.
Headers base_headers(const Options& options);

}  // namespace cometd
