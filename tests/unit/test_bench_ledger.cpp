#include <doctest/doctest.h>

#include <initializer_list>
#include <string>

#include "bench/ledger.hpp"

using cometd::DeliveryCounts;
using cometd::StreamTrack;

TEST_SUITE_BEGIN("bench");

namespace {

DeliveryCounts after(std::initializer_list<std::uint64_t> seqs, std::uint64_t published,
                     std::uint64_t first = 0, std::uint64_t failed = 0) {
  StreamTrack track(first);
  for (auto s : seqs) {
    track.receive(s);
  }
  return track.counts(published, failed);
}

}  // namespace

TEST_CASE("a complete stream in order has nothing lost, duplicated or out of order") {
  const auto c = after({0, 1, 2, 3, 4}, 5);
  CHECK(c.expected == 5);
  CHECK(c.received == 5);
  CHECK(c.lost == 0);
  CHECK(c.duplicated == 0);
  CHECK(c.out_of_order == 0);
}

TEST_CASE("loss, duplicates and reordering are each counted once") {
  SUBCASE("two missing in the middle, one at the end") {
    const auto c = after({0, 1, 4, 5}, 7);
    CHECK(c.lost == 3);
    CHECK(c.received == 4);
  }
  SUBCASE("a duplicate right away and one later") {
    const auto c = after({0, 0, 1, 2, 1}, 3);
    CHECK(c.duplicated == 2);
    CHECK(c.received == 5);
    CHECK(c.lost == 0);
    CHECK(c.out_of_order == 0);
  }
  SUBCASE("a late message is out of order, not lost; its duplicate is a duplicate") {
    const auto c = after({0, 2, 1, 1, 3}, 4);
    CHECK(c.out_of_order == 1);
    CHECK(c.duplicated == 1);
    CHECK(c.lost == 0);
  }
  SUBCASE("a message later than the 64-message window is out of order") {
    StreamTrack track;
    for (std::uint64_t s = 1; s <= 100; ++s) {
      track.receive(s);
    }
    track.receive(0);
    const auto c = track.counts(101, 0);
    CHECK(c.out_of_order == 1);
    CHECK(c.lost == 0);
  }
}

TEST_CASE("a subscriber that joined late expects only what followed its subscription") {
  const auto c = after({9, 10, 11, 13}, 14, 10);
  CHECK(c.expected == 5);  // 10..13, and the early 9 that came anyway
  CHECK(c.received == 4);
  CHECK(c.lost == 1);
}

TEST_CASE("publishes the server rejected are not expected") {
  const auto c = after({0, 1, 3}, 4, 0, 1);
  CHECK(c.expected == 3);
  CHECK(c.lost == 0);
}

TEST_CASE("a subscriber that left is not missing what was in flight") {
  StreamTrack track;
  track.receive(0);
  track.receive(2);
  const auto c = track.counts_until_left(0);
  CHECK(c.expected == 3);
  CHECK(c.lost == 1);
}

TEST_SUITE_END();

#include "bench/payload.hpp"

TEST_SUITE_BEGIN("bench");

TEST_CASE("a bench payload carries publisher, sequence and intended time, padded to size") {
  const std::string pad(1000, 'x');
  const std::string data = cometd::make_payload(7, 42, 123456789, 100, pad);
  CHECK(data.size() == 100);
  CHECK(data.rfind("{\"p\":7,\"s\":42,\"t\":123456789,\"x\":\"xx", 0) == 0);
  cometd::BenchPayload p;
  REQUIRE(cometd::parse_payload(data, p));
  CHECK(p.publisher == 7);
  CHECK(p.seq == 42);
  CHECK(p.intended_ns == 123456789);
  // a server that re-serialises with spaces and another key order
  REQUIRE(cometd::parse_payload("{\"x\":\"\", \"t\": 5, \"s\" : 2, \"p\": 1}", p));
  CHECK(p.publisher == 1);
  CHECK(p.seq == 2);
  CHECK(p.intended_ns == 5);
  CHECK_FALSE(cometd::parse_payload("{\"p\":1}", p));
  CHECK(cometd::make_payload(1, 2, 3, 0, pad) == "{\"p\":1,\"s\":2,\"t\":3,\"x\":\"\"}");
}

TEST_SUITE_END();
