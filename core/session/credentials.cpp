#include "session/credentials.hpp"

namespace cometd {

namespace {

using namespace std::chrono_literals;

constexpr auto k_episode = 1min;     // credentials that worked this long start a new episode
constexpr auto k_budget_window = 10min;
constexpr std::size_t k_budget = 3;  // refreshes per window

}  // namespace

bool CredentialRefresh::may_refresh(TimePoint now) {
  if (!has_source()) {
    return false;
  }
  if (on_probation_ && worked_ && now - refreshed_at_ >= k_episode) {
    on_probation_ = false;
  }
  return !on_probation_;
}

CredentialRefresh::Verdict CredentialRefresh::on_failure(TimePoint now) {
  if (!has_source()) {
    return Verdict::no_source;
  }
  if (!may_refresh(now)) {
    return Verdict::again;
  }
  if (refreshing_) {
    return Verdict::in_progress;
  }
  while (!runs_.empty() && now - runs_.front() > k_budget_window) {
    runs_.pop_front();
  }
  if (runs_.size() >= k_budget) {
    return Verdict::budget;
  }
  runs_.push_back(now);
  refreshing_ = true;
  return Verdict::refresh;
}

void CredentialRefresh::refreshed(bool ok, TimePoint now) {
  refreshing_ = false;
  if (ok) {
    on_probation_ = true;
    worked_ = false;
    refreshed_at_ = now;
  }
}

std::string CredentialRefresh::fatal_message(Verdict verdict, const std::string& what) {
  switch (verdict) {
    case Verdict::again:
      return what + " (again, with fresh credentials)";
    case Verdict::budget:
      return what + " (credentials were refreshed 3 times in 10 minutes already)";
    default:
      return what;
  }
}

}  // namespace cometd
