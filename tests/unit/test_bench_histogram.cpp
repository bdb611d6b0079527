#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "bench/histogram.hpp"

using cometd::Histogram;

TEST_SUITE_BEGIN("bench");

TEST_CASE("the histogram has HdrHistogram's layout for 1 us to 1 h at 3 digits") {
  Histogram h;
  CHECK(h.bucket_count() == 22);
  CHECK(h.sub_bucket_count() == 2048);
  // exact below 2048, then ranges that double with each bucket
  CHECK(h.lowest_equivalent(2047) == 2047);
  CHECK(h.highest_equivalent(2047) == 2047);
  CHECK(h.lowest_equivalent(2049) == 2048);
  CHECK(h.highest_equivalent(2049) == 2049);
  CHECK(h.lowest_equivalent(10007) == 10000);
  CHECK(h.highest_equivalent(10007) == 10007);
  CHECK(h.highest_equivalent(100000000) == 100007935);  // HdrHistogram's own figure
}

TEST_CASE("percentiles of an outlier among many equal values") {
  Histogram h;
  h.record(1000, 10000);
  h.record(100000000);
  CHECK(h.count() == 10001);
  CHECK(h.value_at_percentile(50) == 1000);
  CHECK(h.value_at_percentile(99.99) == 1000);
  CHECK(h.value_at_percentile(99.999) == 100007935);
  CHECK(h.value_at_percentile(100) == 100007935);
  CHECK(h.min() == 1000);
  CHECK(h.max() == 100007935);
  CHECK(h.mean() == doctest::Approx((10000.0 * 1000 + 99975168.0) / 10001));
}

TEST_CASE("percentiles of a uniform distribution are the top of their range") {
  Histogram h;
  for (std::uint64_t v = 1; v <= 10000; ++v) {
    h.record(v);
  }
  CHECK(h.value_at_percentile(0) == 1);
  CHECK(h.value_at_percentile(10) == 1000);
  CHECK(h.value_at_percentile(50) == 5003);  // 5000..5003 share a counter
  CHECK(h.value_at_percentile(90) == 9007);
  CHECK(h.value_at_percentile(99.9) == 9991);  // 9984..9991 share a counter
  CHECK(h.max() == 10007);
}

TEST_CASE("values out of range are clamped and an empty histogram answers 0") {
  Histogram h;
  CHECK(h.value_at_percentile(99) == 0);
  CHECK(h.max() == 0);
  h.record(0);
  h.record(Histogram::k_highest * 2);
  CHECK(h.min() == 1);
  CHECK(h.max() == h.highest_equivalent(Histogram::k_highest));
}

TEST_CASE("adding histograms adds their counts") {
  Histogram a;
  Histogram b;
  a.record(10, 3);
  b.record(20, 1);
  a.add(b);
  CHECK(a.count() == 4);
  CHECK(a.value_at_percentile(75) == 10);
  CHECK(a.value_at_percentile(100) == 20);
}

TEST_CASE("the hgrm text follows HdrHistogram's percentile iteration") {
  Histogram h;
  for (std::uint64_t v = 1000; v <= 4000; v += 1000) {
    h.record(v);  // 1, 2, 3, 4 ms in microseconds
  }
  std::vector<std::string> lines;
  std::istringstream in(h.hgrm(1000.0));
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  REQUIRE(lines.size() == 18);
  CHECK(lines[0] == "       Value     Percentile TotalCount 1/(1-Percentile)");
  CHECK(lines[1].empty());
  CHECK(lines[2] == "       1.000 0.000000000000          1           1.00");
  CHECK(lines[3] == "       1.000 0.100000000000          1           1.11");
  CHECK(lines[5] == "       2.000 0.300000000000          2           1.43");
  CHECK(lines[7] == "       2.000 0.500000000000          2           2.00");
  CHECK(lines[8] == "       3.001 0.550000000000          3           2.22");
  CHECK(lines[12] == "       3.001 0.750000000000          3           4.00");
  CHECK(lines[13] == "       4.001 0.775000000000          4           4.44");
  CHECK(lines[14] == "       4.001 1.000000000000          4");
  CHECK(lines[15].rfind("#[Mean    =        2.50", 0) == 0);  // medians of the ranges
  CHECK(lines[16] == "#[Max     =        4.001, Total count    =            4]");
  CHECK(lines[17] == "#[Buckets =           22, SubBuckets     =         2048]");
}

TEST_SUITE_END();
