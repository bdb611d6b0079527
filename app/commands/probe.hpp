// `probe URL`: what the server offers and which transports actually work, as one JSON report.
#pragma once

#include "make_transport.hpp"
#include "cli/options.hpp"

namespace cometd {

/// Handshakes and sends a first /meta/connect over each transport in turn (a fresh cookie jar
/// each), then prints the report on stdout. Returns 0 when one transport works, else 69.
int run_probe(const Options& options, const TransportSettings& settings);

}  // namespace cometd
