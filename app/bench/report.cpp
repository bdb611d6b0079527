#include "bench/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "bayeux/json_out.hpp"

namespace cometd {

namespace {

std::string fixed(double value, int decimals = 3) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::isfinite(value) ? value : 0.0);
  return buf;
}

std::string ms(std::uint64_t micros) { return fixed(static_cast<double>(micros) / 1000.0); }

struct Spread {
  double min = 0;
  double avg = 0;
  double max = 0;
  double stddev = 0;
};

Spread spread(const std::vector<double>& values) {
  Spread s;
  if (values.empty()) {
    return s;
  }
  s.min = *std::min_element(values.begin(), values.end());
  s.max = *std::max_element(values.begin(), values.end());
  double sum = 0;
  for (double v : values) {
    sum += v;
  }
  s.avg = sum / static_cast<double>(values.size());
  double squares = 0;
  for (double v : values) {
    squares += (v - s.avg) * (v - s.avg);
  }
  s.stddev = std::sqrt(squares / static_cast<double>(values.size()));
  return s;
}

/// Messages per second received by each client, and sent by each publisher, in the window.
std::pair<Spread, Spread> rates(const BenchResult& r) {
  std::vector<double> received;
  std::vector<double> sent;
  for (const auto& c : r.clients) {
    if (c.seconds <= 0) {
      continue;
    }
    received.push_back(static_cast<double>(c.measured_received) / c.seconds);
    if (c.publisher) {
      sent.push_back(static_cast<double>(c.measured_sent) / c.seconds);
    }
  }
  return {spread(received), spread(sent)};
}

void percentiles_json(std::string& out, const Histogram& h) {
  out += "{\"count\":" + std::to_string(h.count());
  const std::pair<const char*, double> points[] = {
      {"p50", 50}, {"p90", 90}, {"p99", 99}, {"p99.9", 99.9}, {"p99.99", 99.99}};
  for (const auto& [name, p] : points) {
    out += ",\"" + std::string(name) + "\":" + ms(h.value_at_percentile(p));
  }
  out += ",\"max\":" + ms(h.max()) + ",\"mean\":" + fixed(h.mean() / 1000.0) +
         ",\"min\":" + ms(h.min()) + "}";
}

void spread_json(std::string& out, const Spread& s) {
  out += "{\"min\":" + fixed(s.min, 2) + ",\"avg\":" + fixed(s.avg, 2) +
         ",\"max\":" + fixed(s.max, 2) + ",\"stddev\":" + fixed(s.stddev, 2) + "}";
}

void counts_json(std::string& out, const DeliveryCounts& c) {
  out += "\"expected\":" + std::to_string(c.expected) + ",\"received\":" +
         std::to_string(c.received) + ",\"lost\":" + std::to_string(c.lost) +
         ",\"duplicated\":" + std::to_string(c.duplicated) +
         ",\"out_of_order\":" + std::to_string(c.out_of_order);
}

}  // namespace

std::string report_json(const BenchResult& r) {
  const BenchOptions& o = r.options;
  std::string out = "{\"url\":";
  append_json_string(out, r.url);
  out += ",\"transports\":{";
  bool first = true;
  for (const auto& [name, n] : r.transports) {
    out += first ? "" : ",";
    first = false;
    append_json_string(out, name);
    out += ":" + std::to_string(n);
  }
  out += "},\"shape\":{\"clients\":" + std::to_string(o.clients) +
         ",\"rooms\":" + std::to_string(o.rooms) +
         ",\"rooms_per_client\":" + std::to_string(o.rooms_per_client) +
         ",\"publishers\":" + std::to_string(o.publishers) + ",\"rate\":" + fixed(o.rate, 2) +
         ",\"size\":" + std::to_string(o.size) + ",\"batch\":" + std::to_string(o.batch) +
         ",\"warmup_s\":" + fixed(static_cast<double>(o.warmup.count()) / 1000.0) +
         ",\"ramp_s\":" + fixed(static_cast<double>(o.ramp.count()) / 1000.0) +
         ",\"churn\":" + fixed(o.churn, 2) + "}";
  out += ",\"seconds\":" + fixed(r.measured_seconds);
  out += ",\"sessions\":{\"started\":" + std::to_string(r.sessions) +
         ",\"connected\":" + std::to_string(r.sessions_ready) +
         ",\"failed\":" + std::to_string(r.sessions_failed) + "}";
  out += ",\"latency_ms\":";
  percentiles_json(out, r.latency);
  out += ",\"publish_round_trip_ms\":";
  percentiles_json(out, r.round_trip);
  out += ",\"handshake_ms\":";
  percentiles_json(out, r.handshake);
  out += ",\"counts\":{\"published\":" + std::to_string(r.published) +
         ",\"publish_failed\":" + std::to_string(r.publish_failed) +
         ",\"publish_unknown\":" + std::to_string(r.publish_unknown) + ",";
  counts_json(out, r.total);
  out += "},\"rooms\":[";
  for (std::size_t i = 0; i < r.rooms.size(); ++i) {
    const RoomRow& room = r.rooms[i];
    out += i ? ",{\"channel\":" : "{\"channel\":";
    append_json_string(out, room.channel);
    out += ",\"subscribers\":" + std::to_string(room.subscribers) +
           ",\"published\":" + std::to_string(room.published) + ",";
    counts_json(out, room.counts);
    out += "}";
  }
  const auto [received, sent] = rates(r);
  const double seconds = r.measured_seconds > 0 ? r.measured_seconds : 1;
  out += "],\"rates\":{\"sent_per_s\":" +
         fixed(static_cast<double>(r.measured_sent) / seconds, 2) +
         ",\"received_per_s\":" + fixed(static_cast<double>(r.measured_received) / seconds, 2) +
         ",\"received_per_client\":";
  spread_json(out, received);
  out += ",\"sent_per_publisher\":";
  spread_json(out, sent);
  out += "},\"reconnects\":" + std::to_string(r.reconnects) + ",\"errors\":{";
  first = true;
  for (const auto& [kind, n] : r.errors) {
    out += first ? "" : ",";
    first = false;
    append_json_string(out, kind);
    out += ":" + std::to_string(n);
  }
  out += "},\"completed\":";
  out += r.completed ? "true" : "false";
  out += ",\"ok\":";
  out += r.completed && r.total.lost == 0 && r.total.duplicated == 0 ? "true" : "false";
  out += "}\n";
  return out;
}

std::string report_table(const BenchResult& r) {
  std::string out;
  char line[256];
  auto row = [&](const char* name, const Histogram& h) {
    std::snprintf(line, sizeof line, "%-22s %9llu %9s %9s %9s %9s %9s %9s\n", name,
                  static_cast<unsigned long long>(h.count()),
                  ms(h.value_at_percentile(50)).c_str(), ms(h.value_at_percentile(90)).c_str(),
                  ms(h.value_at_percentile(99)).c_str(), ms(h.value_at_percentile(99.9)).c_str(),
                  ms(h.value_at_percentile(99.99)).c_str(), ms(h.max()).c_str());
    out += line;
  };
  std::string transports;
  for (const auto& [name, n] : r.transports) {
    transports += (transports.empty() ? "" : ", ") + std::to_string(n) + " " + name;
  }
  std::snprintf(line, sizeof line, "bench %s: %llu clients (%s), %llu rooms, %.1f s measured\n\n",
                r.url.c_str(), static_cast<unsigned long long>(r.options.clients),
                transports.c_str(), static_cast<unsigned long long>(r.options.rooms),
                r.measured_seconds);
  out += line;
  std::snprintf(line, sizeof line, "%-22s %9s %9s %9s %9s %9s %9s %9s\n", "milliseconds", "count",
                "p50", "p90", "p99", "p99.9", "p99.99", "max");
  out += line;
  row("latency (intended)", r.latency);
  row("publish round trip", r.round_trip);
  row("handshake", r.handshake);
  const auto [received, sent] = rates(r);
  const double seconds = r.measured_seconds > 0 ? r.measured_seconds : 1;
  std::snprintf(line, sizeof line,
                "\nmessages/s   total   per client min / avg / max (stddev)\n"
                "sent      %9.1f   %.1f / %.1f / %.1f (%.1f)\n"
                "received  %9.1f   %.1f / %.1f / %.1f (%.1f)\n\n",
                static_cast<double>(r.measured_sent) / seconds, sent.min, sent.avg, sent.max,
                sent.stddev, static_cast<double>(r.measured_received) / seconds, received.min,
                received.avg, received.max, received.stddev);
  out += line;
  std::snprintf(line, sizeof line,
                "published %llu (%llu rejected, %llu without reply); deliveries expected %llu, "
                "received %llu, lost %llu, duplicated %llu, out of order %llu\n",
                static_cast<unsigned long long>(r.published),
                static_cast<unsigned long long>(r.publish_failed),
                static_cast<unsigned long long>(r.publish_unknown),
                static_cast<unsigned long long>(r.total.expected),
                static_cast<unsigned long long>(r.total.received),
                static_cast<unsigned long long>(r.total.lost),
                static_cast<unsigned long long>(r.total.duplicated),
                static_cast<unsigned long long>(r.total.out_of_order));
  out += line;
  std::snprintf(line, sizeof line, "sessions %llu started, %llu connected, %llu failed; %llu "
                "reconnects\n",
                static_cast<unsigned long long>(r.sessions),
                static_cast<unsigned long long>(r.sessions_ready),
                static_cast<unsigned long long>(r.sessions_failed),
                static_cast<unsigned long long>(r.reconnects));
  out += line;
  for (const auto& [kind, n] : r.errors) {
    out += "  " + std::to_string(n) + " × " + kind + "\n";
  }
  return out;
}

std::string report_csv(const BenchResult& r) {
  std::string out =
      "client,transport,publisher,left,failed,seconds,sent,measured_sent,sent_per_s,"
      "measured_received,received_per_s,expected,received,lost,duplicated,out_of_order,"
      "reconnects,errors\n";
  for (const auto& c : r.clients) {
    const double s = c.seconds > 0 ? c.seconds : 0;
    out += std::to_string(c.id) + "," + c.transport + "," + (c.publisher ? "1" : "0") + "," +
           (c.left ? "1" : "0") + "," + (c.failed ? "1" : "0") + "," + fixed(s) + "," +
           std::to_string(c.sent) + "," + std::to_string(c.measured_sent) + "," +
           fixed(s > 0 ? static_cast<double>(c.measured_sent) / s : 0, 2) + "," +
           std::to_string(c.measured_received) + "," +
           fixed(s > 0 ? static_cast<double>(c.measured_received) / s : 0, 2) + "," +
           std::to_string(c.counts.expected) + "," + std::to_string(c.counts.received) + "," +
           std::to_string(c.counts.lost) + "," + std::to_string(c.counts.duplicated) + "," +
           std::to_string(c.counts.out_of_order) + "," + std::to_string(c.reconnects) + "," +
           std::to_string(c.errors) + "\n";
  }
  return out;
}

}  // namespace cometd
