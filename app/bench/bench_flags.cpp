#include "bench/bench_flags.hpp"

#include <cmath>
#include <cstdlib>

#include "cli/option_parsers.hpp"

namespace cometd {

namespace {

/// A non-negative decimal number for --NAME (rates).
double parse_rate(std::string_view name, const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(value) || value < 0 ||
      value > 1e9) {
    usage_error("--" + std::string(name) + " takes a number of messages per second (such as " +
                "100 or 0.5), not '" + text + "'");
  }
  return value;
}

}  // namespace

void parse_bench(const RawFlags& raw, Options& o) {
  BenchOptions& b = o.bench;
  if (const auto* v = raw.last("clients")) {
    b.clients = parse_count("clients", *v, 1);
  }
  if (const auto* v = raw.last("rooms")) {
    b.rooms = parse_count("rooms", *v, 1);
  }
  if (const auto* v = raw.last("rooms-per-client")) {
    b.rooms_per_client = parse_count("rooms-per-client", *v, 1);
  }
  if (b.rooms_per_client > b.rooms) {
    usage_error("--rooms-per-client " + std::to_string(b.rooms_per_client) + " is more than the " +
                std::to_string(b.rooms) + " --rooms there are");
  }
  b.publishers = b.clients;
  if (const auto* v = raw.last("publishers")) {
    b.publishers = parse_count("publishers", *v, 0);
    if (b.publishers > b.clients) {
      usage_error("--publishers " + *v + " is more than the " + std::to_string(b.clients) +
                  " --clients");
    }
  }
  if (const auto* v = raw.last("rate")) {
    b.rate = parse_rate("rate", *v);
  }
  if (const auto* v = raw.last("size")) {
    b.size = parse_count("size", *v, 0);
    if (b.size > (1u << 20)) {
      usage_error("--size is 1 MiB at most (a server caps one message)");
    }
  }
  if (const auto* v = raw.last("batch")) {
    b.batch = parse_count("batch", *v, 1);
  }
  if (const auto* v = raw.last("duration")) {
    b.duration = parse_limit("duration", *v);
  }
  if (const auto* v = raw.last("messages")) {
    b.messages = parse_count("messages", *v, 1);
  }
  if (!b.duration && !b.messages && raw.last("duration") == nullptr) {
    b.duration = std::chrono::seconds(10);
  }
  if (const auto* v = raw.last("warmup")) {
    b.warmup = require_duration("warmup", *v);
  }
  if (const auto* v = raw.last("ramp")) {
    b.ramp = require_duration("ramp", *v);
  }
  if (const auto* v = raw.last("churn")) {
    b.churn = parse_rate("churn", *v);
  }
  b.json = raw.toggles.count("json") != 0 && raw.toggles.at("json");
  if (const auto* v = raw.last("histogram")) {
    b.histogram_file = *v;
  }
  if (const auto* v = raw.last("csv")) {
    b.csv_file = *v;
  }
  b.max_pending_given = raw.last("max-pending") != nullptr;
}

}  // namespace cometd
