// The batch hooks of a run: plugins in command-line order, then the auth extension (an auth
// plugin or --auth-command) outgoing; the reverse incoming.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "auth_command.hpp"
#include "session/hooks.hpp"
#include "plugin.hpp"

namespace asio {
class io_context;
}

namespace cometd {

class ExtensionChain final : public BatchHooks {
 public:
  explicit ExtensionChain(asio::io_context& io);
  ~ExtensionChain() override;

  /// In command-line order. A plugin with authenticate() becomes the auth extension (at most
  /// one; not together with --auth-command): Error(ExitCode::usage) otherwise.
  void add_plugin(std::unique_ptr<Plugin> plugin);
  void set_auth_command(std::string command);
  /// Runs --auth-command once before the handshake. Throws Error(ExitCode::auth) on failure.
  void fetch_initial_credentials();

  bool has_payload_hooks() const override { return !plugins_.empty() || auth_plugin_; }
  bool outgoing(std::string& payload, Headers& headers) override;
  bool incoming(std::string& payload) override;
  bool can_authenticate() const override { return auth_plugin_ || !auth_command_.empty(); }
  void authenticate(std::function<void(bool ok, std::string error)> done) override;
  Headers auth_headers() const override { return credentials_.headers; }
  std::string auth_ext() const override { return credentials_.ext; }

 private:
  asio::io_context& io_;
  std::vector<std::unique_ptr<Plugin>> plugins_;
  std::unique_ptr<Plugin> auth_plugin_;
  std::string auth_command_;
  Credentials credentials_;
  std::thread worker_;  // a running authenticate()
  std::string headers_json_;
  std::string changed_by_;  // the last plugin that changed the headers, for its warning
};

/// Headers as the JSON object plugins see, and back (false when `json` is no such object).
std::string headers_to_json(const Headers& headers);
bool headers_from_json(std::string_view json, Headers& headers, std::string& error);

}  // namespace cometd
