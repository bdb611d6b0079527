#include "bench/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace cometd {

Histogram::Histogram() {
  // HdrHistogram's bucket count for lowest 1, highest 1 h, 3 digits: each bucket doubles the
  // range until it covers the highest value.
  std::uint64_t smallest_untrackable = k_sub_bucket_count;
  int buckets = 1;
  while (smallest_untrackable <= k_highest) {
    smallest_untrackable <<= 1;
    ++buckets;
  }
  bucket_count_ = buckets;
  counts_.assign(static_cast<std::size_t>(buckets + 1) * k_sub_bucket_half_count, 0);
}

int Histogram::bucket_index(std::uint64_t value) const {
  const auto mask = static_cast<std::uint64_t>(k_sub_bucket_count - 1);
  return k_leading_zero_count_base - __builtin_clzll(value | mask);
}

std::size_t Histogram::counts_index(std::uint64_t value) const {
  const int bucket = bucket_index(value);
  const auto sub_bucket = static_cast<std::int64_t>(value >> bucket);
  return static_cast<std::size_t>((static_cast<std::int64_t>(bucket + 1)
                                   << k_sub_bucket_half_count_magnitude) +
                                  (sub_bucket - k_sub_bucket_half_count));
}

std::uint64_t Histogram::value_from_index(std::size_t index) const {
  auto bucket = static_cast<std::int64_t>(index >> k_sub_bucket_half_count_magnitude) - 1;
  auto sub_bucket = static_cast<std::int64_t>(index & (k_sub_bucket_half_count - 1)) +
                    k_sub_bucket_half_count;
  if (bucket < 0) {
    sub_bucket -= k_sub_bucket_half_count;
    bucket = 0;
  }
  return static_cast<std::uint64_t>(sub_bucket) << bucket;
}

std::uint64_t Histogram::size_of_range(std::uint64_t value) const {
  int bucket = bucket_index(value);
  if ((value >> bucket) >= static_cast<std::uint64_t>(k_sub_bucket_count)) {
    ++bucket;
  }
  return std::uint64_t{1} << bucket;
}

std::uint64_t Histogram::lowest_equivalent(std::uint64_t value) const {
  const int bucket = bucket_index(value);
  return (value >> bucket) << bucket;
}

std::uint64_t Histogram::highest_equivalent(std::uint64_t value) const {
  return lowest_equivalent(value) + size_of_range(value) - 1;
}

std::uint64_t Histogram::median_equivalent(std::uint64_t value) const {
  return lowest_equivalent(value) + (size_of_range(value) >> 1);
}

void Histogram::record(std::uint64_t value, std::uint64_t count) {
  value = std::clamp<std::uint64_t>(value, 1, k_highest);
  counts_[counts_index(value)] += count;
  total_ += count;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::add(const Histogram& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    counts_[i] += other.counts_[i];
  }
  total_ += other.total_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

std::uint64_t Histogram::min() const { return total_ == 0 ? 0 : lowest_equivalent(min_); }

std::uint64_t Histogram::max() const { return total_ == 0 ? 0 : highest_equivalent(max_); }

double Histogram::mean() const {
  if (total_ == 0) {
    return 0;
  }
  double sum = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] != 0) {
      sum += static_cast<double>(median_equivalent(value_from_index(i))) *
             static_cast<double>(counts_[i]);
    }
  }
  return sum / static_cast<double>(total_);
}

double Histogram::stddev() const {
  if (total_ == 0) {
    return 0;
  }
  const double m = mean();
  double sum = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i] != 0) {
      const double d = static_cast<double>(median_equivalent(value_from_index(i))) - m;
      sum += d * d * static_cast<double>(counts_[i]);
    }
  }
  return std::sqrt(sum / static_cast<double>(total_));
}

std::uint64_t Histogram::value_at_percentile(double percentile) const {
  if (total_ == 0) {
    return 0;
  }
  const double requested = std::clamp(percentile, 0.0, 100.0);
  auto wanted = static_cast<std::uint64_t>(requested / 100.0 * static_cast<double>(total_) + 0.5);
  wanted = std::max<std::uint64_t>(wanted, 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) {
    running += counts_[i];
    if (running >= wanted) {
      const std::uint64_t value = value_from_index(i);
      return requested == 0.0 ? lowest_equivalent(value) : highest_equivalent(value);
    }
  }
  return 0;
}

std::string Histogram::hgrm(double unit_ratio) const {
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line, "%12s %14s %10s %14s\n\n", "Value", "Percentile", "TotalCount",
                "1/(1-Percentile)");
  out += line;
  // HdrHistogram's PercentileIterator: each step halves the distance to 100 % in 5 ticks; a
  // bucket may yield several steps, the bucket that completes the count one, and a last step
  // reports 100 %.
  constexpr int k_ticks_per_half_distance = 5;
  double level = 0;
  std::uint64_t running = 0;
  double value = 0;
  const auto total = static_cast<double>(total_);
  for (std::size_t i = 0; i < counts_.size() && running < total_; ++i) {
    if (counts_[i] == 0) {
      continue;
    }
    running += counts_[i];
    value = static_cast<double>(highest_equivalent(value_from_index(i))) / unit_ratio;
    const double reached = 100.0 * static_cast<double>(running) / total;
    while (level <= reached) {
      std::snprintf(line, sizeof line, "%12.3f %2.12f %10llu %14.2f\n", value, level / 100.0,
                    static_cast<unsigned long long>(running), 1.0 / (1.0 - level / 100.0));
      out += line;
      const auto halvings =
          static_cast<long long>(std::log(100.0 / (100.0 - level)) / std::log(2.0));
      const auto ticks =
          k_ticks_per_half_distance * static_cast<long long>(std::pow(2.0, halvings + 1));
      level += 100.0 / static_cast<double>(ticks);
      if (running == total_) {
        break;
      }
    }
  }
  if (total_ > 0) {
    std::snprintf(line, sizeof line, "%12.3f %2.12f %10llu\n", value, 1.0,
                  static_cast<unsigned long long>(total_));
    out += line;
  }
  std::snprintf(line, sizeof line, "#[Mean    = %12.3f, StdDeviation   = %12.3f]\n",
                mean() / unit_ratio, stddev() / unit_ratio);
  out += line;
  std::snprintf(line, sizeof line, "#[Max     = %12.3f, Total count    = %12llu]\n",
                static_cast<double>(max()) / unit_ratio, static_cast<unsigned long long>(total_));
  out += line;
  std::snprintf(line, sizeof line, "#[Buckets = %12d, SubBuckets     = %12d]\n", bucket_count_,
                k_sub_bucket_count);
  out += line;
  return out;
}

}  // namespace cometd
