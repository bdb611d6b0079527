// Server dialects: the quirks of Faye and Salesforce that change what the session must do
// (PROTOCOL.md §3, §9, §11, §12), recognised in one place.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "bayeux/advice.hpp"
#include "bayeux/message.hpp"

namespace cometd {

class Dialect {
 public:
  enum class Server { generic, faye, salesforce };

  /// What the URL alone tells: Salesforce's hosts.
  explicit Dialect(std::string_view url);

  /// What a successful handshake reply tells: only Faye offers in-process and
  /// cross-origin-long-polling.
  void learn(const std::vector<std::string>& offered);

  Server server() const { return server_; }

  /// How long the server keeps a session without a /meta/connect pending: maxInterval when
  /// advertised; else Faye expires a client about one timeout after a held connect's reply,
  /// Salesforce documents 40 s, CometD defaults to 10 s.
  Millis expiry_window(const Advice& advice) const;

 private:
  Server server_ = Server::generic;
};

/// Salesforce's ext.sfdc.failureReason ("401::Authentication invalid"), or empty.
std::string sfdc_failure_reason(const MessageView& message);

}  // namespace cometd
