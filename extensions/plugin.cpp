#include "plugin.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>

#include "cometd_plugin.h"
#include "exit_code.hpp"
#include "bayeux/json_out.hpp"

namespace cometd {

namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw Error(ExitCode::config, "cannot load plugin " + path + ": " + why);
}

const cometd_plugin_v1* api_of(const void* api) { return static_cast<const cometd_plugin_v1*>(api); }

/// Copies a malloc'd string from the plugin and frees it.
std::string take(char* text) {
  std::string out(text);
  std::free(text);
  return out;
}

}  // namespace

std::unique_ptr<Plugin> Plugin::load(const std::string& path, const std::string& arg) {
  // dlopen() searches the library path for a name without '/': plugins load only from the
  // path given.
  const std::string explicit_path = path.find('/') == std::string::npos ? "./" + path : path;
  void* handle = ::dlopen(explicit_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = ::dlerror();
    refuse(path, why != nullptr ? why : "dlopen failed");
  }
  ::dlerror();
  using Entry = const cometd_plugin_v1* (*)();
  auto entry = reinterpret_cast<Entry>(::dlsym(handle, "cometd_plugin_entry"));
  if (entry == nullptr) {
    const char* why = ::dlerror();
    const std::string reason = why != nullptr ? why : "";  // dlclose() frees dlerror()'s text
    ::dlclose(handle);
    refuse(path, "no symbol cometd_plugin_entry (" + reason + ")");
  }
  const cometd_plugin_v1* api = entry();
  auto fail = [&](const std::string& why) {
    ::dlclose(handle);
    refuse(path, why);
  };
  if (api == nullptr) {
    fail("cometd_plugin_entry() returned NULL");
  }
  if (api->abi != COMETD_PLUGIN_ABI) {
    fail("ABI version " + std::to_string(api->abi) + ", this cometd-cli speaks version " +
         std::to_string(COMETD_PLUGIN_ABI));
  }
  if (api->name == nullptr || api->create == nullptr || api->destroy == nullptr ||
      (api->outgoing == nullptr && api->incoming == nullptr && api->authenticate == nullptr)) {
    fail(std::string("incomplete cometd_plugin_v1: missing ") +
         (api->name == nullptr      ? "name"
          : api->create == nullptr  ? "create"
          : api->destroy == nullptr ? "destroy"
                                    : "outgoing, incoming and authenticate"));
  }
  const char* error = nullptr;
  void* self = api->create(arg.c_str(), &error);
  if (self == nullptr) {
    fail(std::string("create() refused: ") + (error != nullptr ? error : "no reason given"));
  }
  return std::unique_ptr<Plugin>(new Plugin(handle, api, self, api->name));
}

Plugin::Plugin(void* handle, const void* api, void* self, std::string name)
    : handle_(handle), api_(api), self_(self), name_(std::move(name)) {}

Plugin::~Plugin() {
  api_of(api_)->destroy(self_);
  ::dlclose(handle_);
}

bool Plugin::is_auth() const { return api_of(api_)->authenticate != nullptr; }

bool Plugin::outgoing(std::string& payload, std::string& headers, std::string& error) {
  return call(true, payload, headers, error);
}

bool Plugin::incoming(std::string& payload, std::string& headers, std::string& error) {
  return call(false, payload, headers, error);
}

bool Plugin::call(bool out, std::string& payload, std::string& headers, std::string& error) {
  const auto* api = api_of(api_);
  auto fn = out ? api->outgoing : api->incoming;
  if (fn == nullptr) {
    return true;
  }
  char* new_headers = nullptr;
  char* result = fn(self_, payload.c_str(), headers.c_str(), &new_headers);
  std::string replacement = result != nullptr ? take(result) : std::string();
  std::string replacement_headers = new_headers != nullptr ? take(new_headers) : std::string();
  std::string why;
  if (result != nullptr) {
    replacement.reserve(replacement.size() + 64);  // simdjson's padding
    const std::string_view text = trim_json_whitespace(replacement);
    if (!validator_.validate(replacement, why) || text.empty() || text.front() != '[') {
      error = "plugin " + name_ + " returned a payload that is not a JSON array" +
              (why.empty() ? std::string() : " (" + why + ")");
      return false;
    }
  }
  if (new_headers != nullptr) {
    replacement_headers.reserve(replacement_headers.size() + 64);
    const std::string_view text = trim_json_whitespace(replacement_headers);
    if (!validator_.validate(replacement_headers, why) || text.empty() || text.front() != '{') {
      error = "plugin " + name_ + " returned headers that are not a JSON object" +
              (why.empty() ? std::string() : " (" + why + ")");
      return false;
    }
  }
  if (result != nullptr) {
    payload = std::move(replacement);
  }
  if (new_headers != nullptr) {
    headers = std::move(replacement_headers);
  }
  return true;
}

bool Plugin::authenticate() { return api_of(api_)->authenticate(self_) == 0; }

}  // namespace cometd
