#include "session/negotiator.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace cometd {

namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += out.empty() ? "" : ", ";
    out += item;
  }
  return out;
}

}  // namespace

Negotiator::Negotiator(std::vector<std::string> types, bool strict, Scheduler& scheduler,
                       TransportFactory factory)
    : types_(std::move(types)),
      strict_(strict),
      factory_(std::move(factory)),
      cleanup_(scheduler) {}

Negotiator::~Negotiator() {
  if (transport_) {
    transport_->close();
  }
}

Transport* Negotiator::open(TransportListener& listener, const Headers& headers, bool paused) {
  if (transport_) {
    transport_->close();
    retired_.push_back(std::move(transport_));
    if (!cleanup_.armed()) {
      cleanup_.arm(Scheduler::Millis{0}, [this] { retired_.clear(); });
    }
  }
  failed_ = false;
  transport_ = factory_(type());
  if (!transport_) {
    return nullptr;
  }
  transport_->set_headers(headers);
  transport_->open(listener);
  if (paused) {
    transport_->pause_reading(true);
  }
  return transport_.get();
}

std::string Negotiator::describe() const {
  if (strict_) {
    return "connecting over " + type() + " (the only type asked for)";
  }
  return "connecting over " + type() + " (preference: " + join(types_) + ")";
}

std::string Negotiator::discovered(const std::vector<std::string>& offered) const {
  return refusal_ + "; the server does not offer websocket" +
         (offered.empty() ? std::string() : "; it offers: " + join(offered));
}

std::vector<std::string> Negotiator::handshake_types() const {
  std::vector<std::string> types = types_;
  if (discovering_ && std::find(types.begin(), types.end(), "long-polling") == types.end()) {
    types.emplace_back("long-polling");
  }
  return types;
}

Negotiator::Move Negotiator::after_failure(const Failure& failure) {
  const bool server_busy = failure.http_status >= 500 || failure.http_status == 429;
  if (!transport_ || !transport_->may_refuse_upgrade() || worked_ || discovering_ ||
      server_busy ||
      (failure.kind != Failure::Kind::upgrade_refused &&
       failure.kind != Failure::Kind::deadline)) {
    return Move::stay;
  }
  if (!strict_ && index_ + 1 < types_.size()) {
    ++index_;
    spdlog::info("{}; falling back to {}", failure.detail, type());
    return Move::fall_back;
  }
  if (failure.kind == Failure::Kind::upgrade_refused) {
    // Strict and refused: one handshake over long-polling tells what the server offers
    // instead, for an error message that names it.
    discovering_ = true;
    refusal_ = failure.detail;
    types_.emplace_back("long-polling");
    index_ = types_.size() - 1;
    return Move::discover;
  }
  return Move::stay;
}

std::string Negotiator::choose(const std::vector<std::string>& offered, std::string& error) {
  const auto offers = [&offered](const std::string& type) {
    return offered.empty() || std::find(offered.begin(), offered.end(), type) != offered.end();
  };
  if (offers(type())) {
    return type();
  }
  if (!strict_) {
    for (const auto& candidate : types_) {
      if (offers(candidate)) {
        return candidate;
      }
    }
  }
  error = "the server does not offer " + (strict_ ? type() : join(types_)) +
          "; it offers: " + join(offered);
  return {};
}

bool Negotiator::mark_worked() {
  const bool news = !worked_ && transport_ && transport_->may_refuse_upgrade();
  worked_ = true;
  return news;
}

void Negotiator::select(const std::string& type) {
  const auto it = std::find(types_.begin(), types_.end(), type);
  if (it != types_.end()) {
    index_ = static_cast<std::size_t>(it - types_.begin());
  }
}

}  // namespace cometd
