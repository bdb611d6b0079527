#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>

#include "bench/report.hpp"

using cometd::BenchResult;

TEST_SUITE_BEGIN("bench");

namespace {

BenchResult sample() {
  BenchResult r;
  r.url = "http://127.0.0.1:1/cometd";
  r.options.clients = 2;
  r.options.publishers = 2;
  r.transports["websocket"] = 2;
  r.measured_seconds = 2.0;
  r.sessions = r.sessions_ready = 2;
  r.published = 10;
  r.measured_sent = 10;
  r.measured_received = 18;
  r.total.expected = 20;
  r.total.received = 19;
  r.total.lost = 2;
  r.total.duplicated = 1;
  r.rooms.push_back({"/bench/x/0", 2, 10, r.total});
  for (std::uint32_t id = 0; id < 2; ++id) {
    cometd::ClientRow c;
    c.id = id;
    c.transport = "websocket";
    c.publisher = true;
    c.seconds = 2.0;
    c.measured_sent = 5;
    c.measured_received = id == 0 ? 8 : 10;  // 4 and 5 per second
    r.clients.push_back(c);
  }
  for (std::uint64_t us = 1000; us <= 100000; us += 1000) {
    r.latency.record(us);
  }
  r.errors["connection lost"] = 3;
  r.completed = true;
  return r;
}

}  // namespace

TEST_CASE("the JSON report has the percentiles, counts, rates and verdict") {
  const std::string json = cometd::report_json(sample());
  CHECK(json.back() == '\n');
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  REQUIRE(parser.parse(json).get(doc) == simdjson::SUCCESS);
  for (const char* p : {"p50", "p90", "p99", "p99.9", "p99.99", "max", "mean", "count"}) {
    CHECK(doc["latency_ms"][p].error() == simdjson::SUCCESS);
  }
  CHECK(double(doc["latency_ms"]["p50"]) == doctest::Approx(50.015));  // the top of 49984..50015
  CHECK(double(doc["latency_ms"]["max"]) == doctest::Approx(100.031));
  CHECK(int64_t(doc["counts"]["lost"]) == 2);
  CHECK(int64_t(doc["counts"]["duplicated"]) == 1);
  CHECK(int64_t(doc["rooms"].at(0)["expected"]) == 20);
  CHECK(double(doc["rates"]["received_per_client"]["min"]) == doctest::Approx(4.0));
  CHECK(double(doc["rates"]["received_per_client"]["max"]) == doctest::Approx(5.0));
  CHECK(double(doc["rates"]["received_per_client"]["stddev"]) == doctest::Approx(0.5));
  CHECK(double(doc["rates"]["sent_per_s"]) == doctest::Approx(5.0));
  CHECK(int64_t(doc["errors"]["connection lost"]) == 3);
  CHECK(bool(doc["completed"]) == true);
  CHECK(bool(doc["ok"]) == false);  // lost and duplicated
}

TEST_CASE("the CSV report has a header and one row per client") {
  const std::string csv = cometd::report_csv(sample());
  CHECK(csv.rfind("client,transport,publisher,left,failed,seconds,", 0) == 0);
  std::size_t lines = 0;
  for (char ch : csv) {
    lines += ch == '\n' ? 1 : 0;
  }
  CHECK(lines == 3);
  CHECK(csv.find("\n0,websocket,1,0,0,2.000,0,5,2.50,8,4.00,") != std::string::npos);
}

TEST_CASE("the table names the figures people look for") {
  const std::string table = cometd::report_table(sample());
  CHECK(table.find("latency (intended)") != std::string::npos);
  CHECK(table.find("p99.99") != std::string::npos);
  CHECK(table.find("lost 2, duplicated 1") != std::string::npos);
  CHECK(table.find("3 × connection lost") != std::string::npos);
}

TEST_SUITE_END();
