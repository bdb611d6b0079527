#include "bayeux/dialect.hpp"

#include <algorithm>

#include "bayeux/json_out.hpp"

namespace cometd {

namespace {

using namespace std::chrono_literals;

constexpr Millis k_default_hold{60000};          // before the server advised a timeout
constexpr Millis k_default_max_interval{10000};  // CometD's default; rarely advertised
constexpr Millis k_salesforce_max_interval{40000};

bool contains(const std::vector<std::string>& items, std::string_view item) {
  return std::find(items.begin(), items.end(), item) != items.end();
}

}  // namespace

Dialect::Dialect(std::string_view url) {
  if (url.find(".salesforce.com") != std::string_view::npos ||
      url.find(".force.com") != std::string_view::npos) {
    server_ = Server::salesforce;
  }
}

void Dialect::learn(const std::vector<std::string>& offered) {
  if (contains(offered, "in-process") || contains(offered, "cross-origin-long-polling")) {
    server_ = Server::faye;
  }
}

Millis Dialect::expiry_window(const Advice& advice) const {
  if (advice.max_interval) {
    return *advice.max_interval;
  }
  switch (server_) {
    case Server::faye:
      // Faye expires a client 2 x its timeout after its last connect arrived; after a held
      // connect's reply, one timeout at least is left.
      return advice.timeout.value_or(k_default_hold);
    case Server::salesforce:
      return k_salesforce_max_interval;
    case Server::generic:
      break;
  }
  return k_default_max_interval;
}

std::string sfdc_failure_reason(const MessageView& message) {
  if (message.ext.empty()) {
    return {};
  }
  const std::string_view sfdc = find_raw_field(message.ext, "sfdc");
  const std::string_view reason = trim_json_whitespace(find_raw_field(sfdc, "failureReason"));
  if (reason.size() < 2 || reason.front() != '"') {
    return {};
  }
  return std::string(reason.substr(1, reason.size() - 2));
}

}  // namespace cometd
