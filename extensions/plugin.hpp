// One --ext-plugin: dlopen, the ABI check, and calls whose JSON results are validated.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "bayeux/json_check.hpp"

namespace cometd {

class Plugin {
 public:
  /// Loads the shared library at `path` (an explicit path: a bare name is taken from the
  /// current directory, never searched for) and creates an instance with `arg`. Throws
  /// cometd::Error(ExitCode::config) naming the path, the symbol and dlerror().
  static std::unique_ptr<Plugin> load(const std::string& path, const std::string& arg);
  ~Plugin();
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  const std::string& name() const { return name_; }
  bool is_auth() const;

  /// Runs the plugin's outgoing/incoming over `payload` (a JSON array) and `headers` (a JSON
  /// object), replacing them with what it returns. False with `error` set when it returned
  /// something that is not a JSON array (or object for the headers): nothing is replaced.
  bool outgoing(std::string& payload, std::string& headers, std::string& error);
  bool incoming(std::string& payload, std::string& headers, std::string& error);
  /// The plugin's authenticate(): true when new credentials are in place. May block.
  bool authenticate();

 private:
  struct Api;
  Plugin(void* handle, const void* api, void* self, std::string name);
  bool call(bool out, std::string& payload, std::string& headers, std::string& error);

  void* handle_;
  const void* api_;  // const cometd_plugin_v1*
  void* self_;
  std::string name_;
  JsonValidator validator_;
};

}  // namespace cometd
