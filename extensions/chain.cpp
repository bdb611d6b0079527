#include "chain.hpp"

#include <simdjson.h>
#include <strings.h>

#include <algorithm>
#include <csignal>
#include <spdlog/spdlog.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>

#include "exit_code.hpp"
#include "header_field.hpp"
#include "bayeux/json_out.hpp"

namespace cometd {

namespace {

constexpr std::chrono::seconds k_helper_limit{30};

}  // namespace

std::string headers_to_json(const Headers& headers) {
  std::string out = "{";
  for (const auto& [name, value] : headers) {
    out += out.size() > 1 ? "," : "";
    append_json_string(out, name);
    out += ':';
    append_json_string(out, value);
  }
  out += '}';
  return out;
}

bool headers_from_json(std::string_view json, Headers& headers, std::string& error) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json.data(), json.size()).get(object)) {
    error = "headers that are not a JSON object";
    return false;
  }
  Headers out;
  for (auto [name, value] : object) {
    std::string_view text;
    if (value.get_string().get(text)) {
      error = "header " + header_name_for_message(name) + " that is not a string";
      return false;
    }
    if (std::string why = header_field_error("", name, text); !why.empty()) {
      error = why.substr(2);  // without the empty source's ": "
      return false;
    }
    out.emplace_back(std::string(name), std::string(text));
  }
  // The User-Agent is ours: a plugin that replaces the headers without naming it keeps it.
  auto user_agent = [](const Headers& h) {
    return std::find_if(h.begin(), h.end(), [](const auto& field) {
      return strcasecmp(field.first.c_str(), "User-Agent") == 0;
    });
  };
  if (user_agent(out) == out.end() && user_agent(headers) != headers.end()) {
    out.push_back(*user_agent(headers));
  }
  headers = std::move(out);
  return true;
}

ExtensionChain::ExtensionChain(asio::io_context& io) : io_(io) {}

ExtensionChain::~ExtensionChain() {
  if (worker_.joinable()) {
    interrupt_auth_helpers(0);  // a helper still running does not hold up the exit
    worker_.join();
  }
}

void ExtensionChain::add_plugin(std::unique_ptr<Plugin> plugin) {
  if (!plugin->is_auth()) {
    plugins_.push_back(std::move(plugin));
    return;
  }
  if (auth_plugin_) {
    throw Error(ExitCode::usage, "two auth extensions: " + auth_plugin_->name() + " and " +
                                     plugin->name() + " (one authenticate() at most)");
  }
  if (!auth_command_.empty()) {
    throw Error(ExitCode::usage, "--auth-command and the auth plugin " + plugin->name() +
                                     " cannot be combined");
  }
  auth_plugin_ = std::move(plugin);
}

void ExtensionChain::set_auth_command(std::string command) {
  if (auth_plugin_) {
    throw Error(ExitCode::usage, "--auth-command and the auth plugin " + auth_plugin_->name() +
                                     " cannot be combined");
  }
  auth_command_ = std::move(command);
}

void ExtensionChain::fetch_initial_credentials() {
  if (auth_command_.empty()) {
    return;
  }
  std::string error;
  if (!run_auth_command(auth_command_, k_helper_limit, credentials_, error)) {
    if (const int signal_number = auth_interrupt_signal(); signal_number != 0) {
      throw Error(signal_number == SIGTERM ? ExitCode::terminated : ExitCode::interrupted,
                  std::string(signal_number == SIGTERM ? "SIGTERM" : "SIGINT") +
                      " while --auth-command ran; it was stopped");
    }
    throw Error(ExitCode::auth, "--auth-command failed: " + error);
  }
  spdlog::info("credentials from --auth-command ({} header(s){})", credentials_.headers.size(),
               credentials_.ext.empty() ? "" : ", handshake ext");
}

bool ExtensionChain::outgoing(std::string& payload, Headers& headers) {
  headers_json_ = headers_to_json(headers);
  const std::string before = headers_json_;
  std::string error;
  auto run = [&](Plugin& plugin) {
    const std::string previous = headers_json_;
    if (!plugin.outgoing(payload, headers_json_, error)) {
      spdlog::warn("{}; the outgoing messages were dropped", error);
      return false;
    }
    if (headers_json_ != previous) {
      changed_by_ = plugin.name();
    }
    return true;
  };
  for (auto& plugin : plugins_) {
    if (!run(*plugin)) {
      return false;
    }
  }
  if (auth_plugin_ && !run(*auth_plugin_)) {
    return false;
  }
  if (headers_json_ != before && !headers_from_json(headers_json_, headers, error)) {
    spdlog::warn("extension plugin {} returned bad headers ({}); the outgoing messages were "
                 "dropped",
                 changed_by_, error);
    return false;
  }
  return true;
}

bool ExtensionChain::incoming(std::string& payload) {
  std::string headers = "{}";  // response headers are not passed on (the seed allows empty)
  std::string error;
  auto run = [&](Plugin& plugin) {
    if (!plugin.incoming(payload, headers, error)) {
      spdlog::warn("{}; the received messages were dropped", error);
      return false;
    }
    return true;
  };
  if (auth_plugin_ && !run(*auth_plugin_)) {
    return false;
  }
  for (auto it = plugins_.rbegin(); it != plugins_.rend(); ++it) {
    if (!run(**it)) {
      return false;
    }
  }
  return true;
}

void ExtensionChain::authenticate(std::function<void(bool ok, std::string error)> done) {
  if (worker_.joinable()) {
    worker_.join();
  }
  // The source may block (a token endpoint, a helper process): it runs on a thread of its own
  // while the session waits, and the result comes back to the io thread.
  worker_ = std::thread([this, done = std::move(done)]() mutable {
    bool ok = false;
    std::string error;
    Credentials fresh;
    if (auth_plugin_) {
      ok = auth_plugin_->authenticate();
      if (!ok) {
        error = "the auth plugin " + auth_plugin_->name() + " could not authenticate";
      }
    } else {
      ok = run_auth_command(auth_command_, k_helper_limit, fresh, error);
      if (!ok) {
        error = "--auth-command failed: " + error;
      }
    }
    asio::post(io_, [this, ok, error = std::move(error), fresh = std::move(fresh),
                     done = std::move(done)]() mutable {
      if (worker_.joinable()) {
        worker_.join();
      }
      if (ok && !auth_plugin_) {
        credentials_ = std::move(fresh);
      }
      done(ok, std::move(error));
    });
  });
}

}  // namespace cometd
