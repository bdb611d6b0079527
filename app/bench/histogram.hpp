// A log-linear latency histogram in HdrHistogram's layout (buckets of 2048 sub-buckets, each
// bucket twice as wide as the one before), so that percentiles keep 3 significant digits from
// 1 µs to 1 h in a fixed 184 KiB, and `.hgrm` files open in HdrHistogram's plotter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cometd {

class Histogram {
 public:
  /// Values are whole units (the bench records microseconds): 1 .. 3,600,000,000 with 3
  /// significant digits. Smaller values count as 1, larger ones as the highest.
  Histogram();

  void record(std::uint64_t value, std::uint64_t count = 1);
  void add(const Histogram& other);

  std::uint64_t count() const { return total_; }
  std::uint64_t min() const;
  std::uint64_t max() const;
  double mean() const;
  double stddev() const;
  /// The value at `percentile` (0..100): the highest value equivalent to the recorded value
  /// below which that share of the counts lies (HdrHistogram's getValueAtPercentile).
  std::uint64_t value_at_percentile(double percentile) const;

  /// The percentile distribution in HdrHistogram's text form (outputPercentileDistribution,
  /// 5 ticks per half distance), values divided by `unit_ratio` (1000: µs shown as ms).
  std::string hgrm(double unit_ratio) const;

  // The layout, exposed for tests.
  std::uint64_t lowest_equivalent(std::uint64_t value) const;
  std::uint64_t highest_equivalent(std::uint64_t value) const;
  int bucket_count() const { return bucket_count_; }
  int sub_bucket_count() const { return k_sub_bucket_count; }

  static constexpr std::uint64_t k_highest = 3'600'000'000ULL;

 private:
  static constexpr int k_sub_bucket_half_count_magnitude = 10;
  static constexpr int k_sub_bucket_count = 2048;
  static constexpr int k_sub_bucket_half_count = 1024;
  static constexpr int k_leading_zero_count_base = 64 - k_sub_bucket_half_count_magnitude - 1;

  int bucket_index(std::uint64_t value) const;
  std::size_t counts_index(std::uint64_t value) const;
  std::uint64_t value_from_index(std::size_t index) const;
  std::uint64_t size_of_range(std::uint64_t value) const;
  std::uint64_t median_equivalent(std::uint64_t value) const;

  int bucket_count_ = 0;
  std::vector<std::uint64_t> counts_;
  std::uint64_t total_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
};

}  // namespace cometd
