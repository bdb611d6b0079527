// `bench URL`: a load generator of many real Bayeux sessions on one io thread, with latency
// measured from each message's intended send time (no coordinated omission) and exact loss
// accounting per room and publisher.
#pragma once

#include "cli/options.hpp"
#include "make_transport.hpp"

namespace cometd {

/// Runs the load `options.bench` describes against `options.url`, prints the results (a
/// table on a terminal, else one JSON object) and returns the exit status: 0 when the run
/// completed, 1 when messages were lost or duplicated, 69 when no client could connect,
/// 130/143 when interrupted.
int run_bench(const Options& options, const TransportSettings& settings);

}  // namespace cometd
