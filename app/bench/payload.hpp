// The data of a bench message: {"p":PUBLISHER,"s":SEQUENCE,"t":INTENDED_NS,"x":"padding"}.
// t is the monotonic time the schedule meant it to be sent, in ns since the run began.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cometd {

struct BenchPayload {
  std::uint64_t publisher = 0;
  std::uint64_t seq = 0;
  std::int64_t intended_ns = 0;
};

/// The data text, padded with 'x' (from `pad`) to `size` bytes when it is shorter.
std::string make_payload(std::uint64_t publisher, std::uint64_t seq, std::int64_t intended_ns,
                         std::size_t size, const std::string& pad);

/// Reads p, s and t back from a delivery's data (whitespace tolerated, key order free).
bool parse_payload(std::string_view data, BenchPayload& out);

}  // namespace cometd
