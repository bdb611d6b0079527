// Loss accounting of `bench`: what each subscriber received of each publisher's stream in a
// room, against what was published while it was subscribed.
#pragma once

#include <cstdint>

namespace cometd {

/// The counts of deliveries, summed over streams, rooms or the whole run.
struct DeliveryCounts {
  std::uint64_t expected = 0;
  std::uint64_t received = 0;  ///< every delivery, duplicates included
  std::uint64_t lost = 0;
  std::uint64_t duplicated = 0;
  std::uint64_t out_of_order = 0;

  DeliveryCounts& operator+=(const DeliveryCounts& o) {
    expected += o.expected;
    received += o.received;
    lost += o.lost;
    duplicated += o.duplicated;
    out_of_order += o.out_of_order;
    return *this;
  }
};

/// One subscriber's view of one publisher's messages to one room. Sequence numbers count from
/// 0 per (publisher, room). A duplicate is told from a late message within the last 64
/// sequence numbers; an older one counts as out of order, not as a duplicate.
class StreamTrack {
 public:
  /// Messages before `first` were published before the subscription was confirmed: one
  /// that arrives anyway is counted (received and expected), but none is missed.
  explicit StreamTrack(std::uint64_t first = 0) : first_(first) {}

  enum class Arrival { fresh, early, duplicate };
  Arrival receive(std::uint64_t seq);

  /// The counts once the publisher sent `published` messages to the room (of which `failed`
  /// were rejected by the server, so never expected).
  DeliveryCounts counts(std::uint64_t published, std::uint64_t failed) const;
  /// The counts of a subscriber that left: what was in flight when it left is not missed.
  DeliveryCounts counts_until_left(std::uint64_t failed) const;

  std::uint64_t first() const { return first_; }

 private:
  std::uint64_t first_;
  std::uint64_t end_ = 0;      // highest sequence seen + 1; 0: none yet
  std::uint64_t window_ = 0;   // bit i: sequence end_ - 1 - i was seen
  std::uint64_t distinct_ = 0;  // distinct sequences >= first_
  std::uint64_t early_ = 0;
  std::uint64_t duplicated_ = 0;
  std::uint64_t out_of_order_ = 0;
};

}  // namespace cometd
