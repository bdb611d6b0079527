#include "session/extension_set.hpp"

#include <strings.h>

#include <algorithm>

#include "bayeux/wire.hpp"

namespace cometd {

void ExtensionSet::use(std::vector<MessageExtension*> builtins, BatchHooks* hooks) {
  builtins_ = std::move(builtins);
  hooks_ = hooks;
}

std::string ExtensionSet::ext(const OutgoingMessage& message, std::string_view base) {
  members_.assign(base);
  for (MessageExtension* extension : builtins_) {
    extension->outgoing(message, members_);
  }
  if (members_.empty()) {
    return {};
  }
  return "{" + members_ + "}";
}

std::string ExtensionSet::handshake_ext(std::string_view handshake_ext_option) {
  std::string base(object_members(handshake_ext_option));
  const std::string auth = hooks_ != nullptr ? hooks_->auth_ext() : std::string();
  if (!auth.empty()) {
    base += base.empty() ? "" : ",";
    base += auth;
  }
  return ext({"/meta/handshake", {}}, base);
}

Headers ExtensionSet::headers() const {
  if (hooks_ == nullptr) {
    return base_;
  }
  // The auth source's headers replace ours of the same name (its Authorization wins).
  Headers auth = hooks_->auth_headers();
  Headers out;
  for (const auto& header : base_) {
    const bool replaced = std::any_of(auth.begin(), auth.end(), [&](const auto& a) {
      return strcasecmp(a.first.c_str(), header.first.c_str()) == 0;
    });
    if (!replaced) {
      out.push_back(header);
    }
  }
  out.insert(out.end(), auth.begin(), auth.end());
  return out;
}

void ExtensionSet::incoming(const MessageView& message) {
  for (MessageExtension* extension : builtins_) {
    extension->incoming(message);
  }
}

bool ExtensionSet::ready_for_connect() const {
  return std::all_of(builtins_.begin(), builtins_.end(),
                     [](const MessageExtension* e) { return e->ready_for_connect(); });
}

void ExtensionSet::output_drained() {
  for (MessageExtension* extension : builtins_) {
    extension->output_drained();
  }
}

bool ExtensionSet::retry_subscription(std::string_view channel, std::string_view error) {
  return std::any_of(builtins_.begin(), builtins_.end(), [&](MessageExtension* e) {
    return e->retry_subscription(channel, error);
  });
}

std::string ExtensionSet::explain_failure(std::string_view channel, std::string_view error) {
  std::string out;
  for (MessageExtension* extension : builtins_) {
    out += extension->explain_failure(channel, error);
  }
  return out;
}

}  // namespace cometd
