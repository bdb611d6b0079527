// The results of `bench`: one JSON object, a table for people, one CSV row per client.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/bench_options.hpp"
#include "bench/histogram.hpp"
#include "bench/ledger.hpp"

namespace cometd {

struct ClientRow {
  std::uint32_t id = 0;
  std::string transport;
  bool publisher = false;
  bool left = false;    ///< churned out before the end
  bool failed = false;  ///< its session gave up
  std::uint64_t sent = 0;
  std::uint64_t measured_sent = 0;
  std::uint64_t measured_received = 0;
  double seconds = 0;  ///< time it was in the measured window
  DeliveryCounts counts;
  std::uint64_t reconnects = 0;
  std::uint64_t errors = 0;
};

struct RoomRow {
  std::string channel;
  std::uint64_t subscribers = 0;  ///< at the end
  std::uint64_t published = 0;
  DeliveryCounts counts;
};

struct BenchResult {
  std::string url;
  BenchOptions options;
  std::map<std::string, std::uint64_t> transports;  ///< sessions by connection type
  double measured_seconds = 0;
  std::uint64_t sessions = 0;  ///< started, replacements included
  std::uint64_t sessions_ready = 0;
  std::uint64_t sessions_failed = 0;
  std::uint64_t published = 0;
  std::uint64_t publish_failed = 0;   ///< rejected by the server: not expected
  std::uint64_t publish_unknown = 0;  ///< no reply: still expected
  std::uint64_t measured_sent = 0;
  std::uint64_t measured_received = 0;
  DeliveryCounts total;
  std::vector<RoomRow> rooms;
  std::vector<ClientRow> clients;
  Histogram latency;    ///< µs, receive − intended send time
  Histogram round_trip;  ///< µs, publish → its reply
  Histogram handshake;  ///< µs, start → handshake reply
  std::uint64_t reconnects = 0;
  std::map<std::string, std::uint64_t> errors;
  bool interrupted = false;
  bool completed = false;  ///< the run went to its end (not interrupted, not failed)
};

std::string report_json(const BenchResult& r);
std::string report_table(const BenchResult& r);
std::string report_csv(const BenchResult& r);

}  // namespace cometd
