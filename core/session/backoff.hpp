// Jittered exponential backoff (PROTOCOL.md §5): 1 s doubling to a 30 s cap.
#pragma once

#include <chrono>
#include <functional>

namespace cometd {

class Backoff {
 public:
  using Millis = std::chrono::milliseconds;
  /// `random01` returns a uniform number in [0, 1); injected so tests are deterministic.
  explicit Backoff(std::function<double()> random01, Millis initial = Millis{1000},
                   Millis cap = Millis{30000});

  /// The next wait, b/2 + rand(0, b/2), then the base doubles up to the cap.
  Millis next();
  /// The base that the next call to next() jitters (for "unconnected + backoff" decisions).
  Millis base() const { return base_; }
  /// Back to the initial base, after the session proved healthy.
  void reset() { base_ = initial_; }
  /// A uniform wait in [0, max): the first re-handshake's jitter.
  Millis jitter(Millis max);

 private:
  std::function<double()> random01_;
  Millis initial_;
  Millis cap_;
  Millis base_;
};

}  // namespace cometd
