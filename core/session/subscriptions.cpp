#include "session/subscriptions.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "bayeux/errors.hpp"
#include "session/failure_class.hpp"

namespace cometd {

void Subscriptions::on_reply(const MessageView& reply, const Pending& pending) {
  const std::string& channel = pending.subscription;
  if (ignores(channel)) {
    return;
  }
  if (*reply.successful) {
    activate(channel);
    spdlog::info("subscribed to {}", channel);
    return;
  }
  const std::string error(reply.error.empty() ? "no error given" : reply.error);
  if (is_unknown_session_error(error) ||
      (reply.advice.reconnect && *reply.advice.reconnect == Reconnect::handshake)) {
    want(channel);
    verbs_.session_unknown("/meta/subscribe: " + error);
    return;
  }
  if (extensions_.retry_subscription(channel, error)) {
    want(channel);  // the next pump sends it again
    return;
  }
  if (is_auth_error(error) && verbs_.may_refresh_credentials()) {
    // The token may lack a scope: one refresh, then the subscription again.
    want(channel);
    verbs_.refresh_credentials("subscribe " + channel + ": " + error);
    return;
  }
  refuse(channel, error + extensions_.explain_failure(channel, error), is_auth_error(error));
}

void Subscriptions::on_failure(const Pending& pending, const Failure& failure) {
  const std::string& channel = pending.subscription;
  if (ignores(channel)) {
    return;
  }
  const std::string detail = describe(failure);
  const bool auth = is_auth_failure(failure);
  if (auth && verbs_.may_refresh_credentials()) {
    want(channel);
    verbs_.refresh_credentials("subscribe " + channel + ": " + detail);
    return;
  }
  if (is_transient(failure)) {
    want(channel);
    verbs_.unhealthy(detail);
    verbs_.hold_requests();  // then sent again
    return;
  }
  refuse(channel, detail, auth);
}

void Subscriptions::refuse(const std::string& channel, const std::string& error, bool auth) {
  spdlog::error("subscribe {}: {}", channel, error);
  if (!deny(channel, auth)) {
    verbs_.fail(auth_denial_ ? ExitCode::auth : ExitCode::failure,
                entries_.size() == 1 ? "the subscription was denied"
                                     : "every subscription was denied");
  }
}

void Subscriptions::add(std::vector<std::string> channels) {
  for (auto& channel : channels) {
    entries_.push_back({std::move(channel), Status::wanted});
  }
}

std::vector<std::string> Subscriptions::take_wanted() {
  std::vector<std::string> out;
  for (auto& entry : entries_) {
    if (entry.status == Status::wanted) {
      out.push_back(entry.channel);
      entry.status = Status::sent;
    }
  }
  return out;
}

void Subscriptions::reset() {
  for (auto& entry : entries_) {
    if (entry.status != Status::denied) {
      entry.status = Status::wanted;
    }
  }
}

Subscriptions::Entry* Subscriptions::find(std::string_view channel) {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const Entry& e) { return e.channel == channel; });
  return it == entries_.end() ? nullptr : &*it;
}

void Subscriptions::want(std::string_view channel) {
  if (Entry* entry = find(channel); entry != nullptr && entry->status != Status::denied) {
    entry->status = Status::wanted;
  }
}

void Subscriptions::activate(std::string_view channel) {
  if (Entry* entry = find(channel); entry != nullptr) {
    entry->status = Status::active;
  }
}

bool Subscriptions::deny(std::string_view channel, bool auth) {
  auth_denial_ = auth_denial_ || auth;
  if (Entry* entry = find(channel); entry != nullptr) {
    entry->status = Status::denied;
  }
  return std::any_of(entries_.begin(), entries_.end(),
                     [](const Entry& e) { return e.status != Status::denied; });
}

bool Subscriptions::ignores(std::string_view channel) const {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const Entry& e) { return e.channel == channel; });
  return it == entries_.end() || it->status == Status::denied;
}

std::size_t Subscriptions::active() const {
  return static_cast<std::size_t>(std::count_if(
      entries_.begin(), entries_.end(), [](const Entry& e) { return e.status == Status::active; }));
}

bool Subscriptions::settled() const {
  return std::none_of(entries_.begin(), entries_.end(), [](const Entry& e) {
    return e.status == Status::sent || e.status == Status::wanted;
  });
}

}  // namespace cometd
