#include <doctest/doctest.h>

#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>

#include "chain.hpp"
#include "exit_code.hpp"
#include "plugin.hpp"

using namespace cometd;

TEST_SUITE_BEGIN("plugin");

namespace {

std::string plugin_path(const char* name) { return std::string(TEST_PLUGIN_DIR) + "/" + name + ".so"; }

std::string load_error(const std::string& path, const std::string& arg = {}) {
  try {
    Plugin::load(path, arg);
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::config);
    return e.what();
  }
  FAIL("the plugin loaded");
  return {};
}

}  // namespace

TEST_CASE("load errors name the path and the reason (exit 78)") {
  CHECK(load_error("/nonexistent/plugin.so").find("cannot load plugin /nonexistent/plugin.so") == 0);
  CHECK(load_error(plugin_path("bad_no_entry_plugin")).find("no symbol cometd_plugin_entry") !=
        std::string::npos);
  CHECK(load_error(plugin_path("bad_abi_plugin")).find("ABI version 2, this cometd-cli speaks version 1") !=
        std::string::npos);
  CHECK(load_error(plugin_path("bad_refuse_plugin")).find("create() refused: no licence key") !=
        std::string::npos);
  // A bare name is never searched for in the library path.
  CHECK(load_error("libc.so.6").find("cannot load plugin libc.so.6") == 0);
}

TEST_CASE("a plugin returning invalid JSON: the call fails with a reason, nothing replaced") {
  auto plugin = Plugin::load(plugin_path("bad_json_plugin"), "");
  std::string payload = R"([{"channel":"/a","data":1}])";
  std::string headers = "{}";
  std::string error;
  CHECK_FALSE(plugin->outgoing(payload, headers, error));
  CHECK(error.find("plugin bad_plugin returned a payload that is not a JSON array") == 0);
  CHECK(payload == R"([{"channel":"/a","data":1}])");
}

TEST_CASE("order: plugins in command-line order then the auth extension out, the reverse in") {
  asio::io_context io;
  ExtensionChain chain(io);
  chain.add_plugin(Plugin::load(plugin_path("trace_auth_plugin"), "auth"));
  chain.add_plugin(Plugin::load(plugin_path("trace_plugin"), "A"));
  chain.add_plugin(Plugin::load(plugin_path("trace_plugin"), "B"));
  CHECK(chain.has_payload_hooks());
  CHECK(chain.can_authenticate());
  std::string payload = "[]";
  Headers headers;
  REQUIRE(chain.outgoing(payload, headers));
  CHECK(payload ==
        R"([{"channel":"/trace","data":"A>"},{"channel":"/trace","data":"B>"},{"channel":"/trace","data":"auth>"}])");
  payload = "[]";
  REQUIRE(chain.incoming(payload));
  CHECK(payload ==
        R"([{"channel":"/trace","data":"<auth"},{"channel":"/trace","data":"<B"},{"channel":"/trace","data":"<A"}])");
}

TEST_CASE("one auth extension at most, and not with --auth-command") {
  asio::io_context io;
  ExtensionChain chain(io);
  chain.add_plugin(Plugin::load(plugin_path("trace_auth_plugin"), "one"));
  CHECK_THROWS_AS(chain.add_plugin(Plugin::load(plugin_path("trace_auth_plugin"), "two")), Error);
  CHECK_THROWS_AS(chain.set_auth_command("echo token"), Error);
}

TEST_CASE("the example plugins: a header, and tokens that authenticate() moves through") {
  asio::io_context io;
  ExtensionChain chain(io);
  chain.add_plugin(Plugin::load(std::string(EXAMPLE_PLUGIN_DIR) + "/header_plugin.so",
                                "X-Api-Key: k\"1"));
  chain.add_plugin(Plugin::load(std::string(EXAMPLE_PLUGIN_DIR) + "/token_plugin.so", "t1,t2"));
  std::string payload = "[]";
  Headers headers = {{"User-Agent", "cometd-cli"}};
  REQUIRE(chain.outgoing(payload, headers));
  REQUIRE(headers.size() == 3);
  CHECK(headers[1] == std::make_pair(std::string("X-Api-Key"), std::string("k\"1")));
  CHECK(headers[2] == std::make_pair(std::string("Authorization"), std::string("Bearer t1")));
  bool ok = false;
  bool done = false;
  // authenticate() runs on a thread of its own and posts the result to the io loop.
  auto wait = [&] {
    io.restart();
    auto busy = asio::make_work_guard(io);  // run_one_for() returns at once without work
    for (int i = 0; i < 500 && !done; ++i) {
      io.run_one_for(std::chrono::milliseconds(10));
    }
    REQUIRE(done);
  };
  chain.authenticate([&](bool result, std::string) {
    ok = result;
    done = true;
  });
  wait();
  CHECK(ok);
  headers = {};
  REQUIRE(chain.outgoing(payload, headers));
  CHECK(headers.back().second == "Bearer t2");
  std::string error;
  done = false;
  chain.authenticate([&](bool result, std::string e) {
    ok = result;
    error = std::move(e);
    done = true;
  });
  wait();
  CHECK_FALSE(ok);
  CHECK(error == "the auth plugin token_plugin could not authenticate");
}

TEST_CASE("headers as JSON and back") {
  const Headers headers = {{"A", "1"}, {"Quote", "say \"hi\""}};
  Headers back;
  std::string error;
  REQUIRE(headers_from_json(headers_to_json(headers), back, error));
  CHECK(back == headers);
  CHECK_FALSE(headers_from_json(R"({"A":1})", back, error));
  CHECK_FALSE(headers_from_json("[]", back, error));
}

TEST_CASE("plugin headers follow the one header rule; the User-Agent is kept") {
  struct Row {
    const char* json;
    const char* error;  // empty: accepted
  };
  const Row rows[] = {
      {R"({"X-Plugin":"1"})", ""},
      {R"({"A":"x\r\nB: y"})", "the value of header A holds a line break"},
      {R"({"A":"x\u0000"})", "the value of header A holds a line break"},
      {R"({"X-A: 1\r\nX-B":"v"})", "'X-A: 1\\x0d\\x0aX-B' is not a valid header name"},
      {R"({"":"v"})", "'' is not a valid header name"},
      {R"({"Bad Name":"v"})", "'Bad Name' is not a valid header name"},
  };
  for (const auto& row : rows) {
    CAPTURE(row.json);
    Headers headers = {{"User-Agent", "cometd-cli/test"}, {"X-Old", "1"}};
    std::string error;
    const bool ok = headers_from_json(row.json, headers, error);
    CHECK(ok == (std::string(row.error).empty()));
    if (ok) {
      CHECK(headers == Headers{{"X-Plugin", "1"}, {"User-Agent", "cometd-cli/test"}});
    } else {
      CHECK(error.rfind(row.error, 0) == 0);
    }
  }
}

TEST_SUITE_END();
