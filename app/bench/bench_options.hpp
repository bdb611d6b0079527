// The options of `bench`: the shape of the load, when it ends, and where the results go.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace cometd {

struct BenchOptions {
  std::uint64_t clients = 10;
  std::uint64_t rooms = 1;
  std::uint64_t rooms_per_client = 1;
  std::uint64_t publishers = 0;  ///< after parsing: --publishers, or every client
  double rate = 100;             ///< messages per second in all; 0: closed loop
  std::uint64_t size = 100;      ///< bytes of each message's data
  std::uint64_t batch = 1;       ///< messages a publisher sends together
  std::optional<std::chrono::milliseconds> duration;  ///< measured publishing time
  std::optional<std::uint64_t> messages;              ///< measured messages in all
  std::chrono::milliseconds warmup{0};
  std::chrono::milliseconds ramp{0};
  double churn = 0;  ///< clients leaving (and as many joining) per second
  bool json = false;
  std::string histogram_file;
  std::string csv_file;
  bool max_pending_given = false;  ///< --max-pending: no effect here (nothing is written)
};

}  // namespace cometd
