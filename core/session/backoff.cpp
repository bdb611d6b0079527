#include "session/backoff.hpp"

#include <algorithm>

namespace cometd {

Backoff::Backoff(std::function<double()> random01, Millis initial, Millis cap)
    : random01_(std::move(random01)), initial_(initial), cap_(cap), base_(initial) {}

Backoff::Millis Backoff::next() {
  const auto half = base_.count() / 2;
  const auto wait = half + static_cast<Millis::rep>(random01_() * static_cast<double>(half));
  base_ = std::min(cap_, base_ * 2);
  return Millis{wait};
}

Backoff::Millis Backoff::jitter(Millis max) {
  return Millis{static_cast<Millis::rep>(random01_() * static_cast<double>(max.count()))};
}

}  // namespace cometd
