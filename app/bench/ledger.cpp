#include "bench/ledger.hpp"

#include <algorithm>

namespace cometd {

StreamTrack::Arrival StreamTrack::receive(std::uint64_t seq) {
  if (seq < first_) {
    ++early_;
    return Arrival::early;
  }
  if (end_ == 0 || seq >= end_) {
    const std::uint64_t shift = end_ == 0 ? 64 : seq + 1 - end_;
    window_ = shift >= 64 ? 0 : window_ << shift;
    window_ |= 1;
    end_ = seq + 1;
    ++distinct_;
    return Arrival::fresh;
  }
  const std::uint64_t behind = end_ - 1 - seq;
  if (behind < 64) {
    const std::uint64_t bit = std::uint64_t{1} << behind;
    if ((window_ & bit) != 0) {
      ++duplicated_;
      return Arrival::duplicate;
    }
    window_ |= bit;
  }
  ++distinct_;
  ++out_of_order_;
  return Arrival::fresh;
}

DeliveryCounts StreamTrack::counts(std::uint64_t published, std::uint64_t failed) const {
  DeliveryCounts c;
  const std::uint64_t in_range = published > first_ ? published - first_ : 0;
  const std::uint64_t expected = in_range > failed ? in_range - failed : 0;
  c.expected = expected + early_;
  c.received = distinct_ + early_ + duplicated_;
  c.lost = expected > distinct_ ? expected - distinct_ : 0;
  c.duplicated = duplicated_;
  c.out_of_order = out_of_order_;
  return c;
}

DeliveryCounts StreamTrack::counts_until_left(std::uint64_t failed) const {
  return counts(std::max(end_, first_), failed);
}

}  // namespace cometd
