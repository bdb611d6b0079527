// `probe URL`: what the server offers and which transports actually work, as one JSON report.
#pragma once

#include "make_transport.hpp"
#include "cli/options.hpp"

namespace cometd {

/// Handshakes and sends a first /meta/connect over each transport of --connection-type at the
/// same time (a fresh cookie jar and session each, one --timeout in all), then prints the
/// report on stdout, whatever happened. Returns 0 when one transport works; else, with one
/// stderr line saying why, 77 when the server refused the handshakes for authentication, 69.
int run_probe(const Options& options, const TransportSettings& settings);

}  // namespace cometd
