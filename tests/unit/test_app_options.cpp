#include <doctest/doctest.h>

#include <map>

#include "duration.hpp"
#include "exit_code.hpp"
#include "cli/option_parsers.hpp"
#include "cli/options.hpp"

using namespace cometd;
using namespace std::chrono_literals;

TEST_SUITE_BEGIN("options");

namespace {

struct Env {
  std::map<std::string, std::string> vars;
  GetEnv get() const {
    return [this](const char* name) -> std::optional<std::string> {
      auto it = vars.find(name);
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  }
};

Options parse(std::vector<const char*> args, const Env& env = {}) {
  args.insert(args.begin(), "cometd-cli");
  auto parsed = parse_command_line(static_cast<int>(args.size()), args.data(), env.get());
  REQUIRE(parsed.options);
  return *parsed.options;
}

std::string usage_error(std::vector<const char*> args, const Env& env = {}) {
  args.insert(args.begin(), "cometd-cli");
  try {
    parse_command_line(static_cast<int>(args.size()), args.data(), env.get());
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
    return e.what();
  }
  FAIL("no usage error");
  return {};
}

}  // namespace

TEST_CASE("durations") {
  CHECK(*parse_duration("500ms") == 500ms);
  CHECK(*parse_duration("10s") == 10s);
  CHECK(*parse_duration("2m") == 2min);
  CHECK(*parse_duration("1h") == 1h);
  CHECK(*parse_duration("5") == 5s);
  CHECK(*parse_duration("1.5") == 1500ms);
  CHECK(*parse_duration("0.25s") == 250ms);
  CHECK(*parse_duration("0") == 0ms);
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("s"));
  CHECK_FALSE(parse_duration("-1s"));
  CHECK_FALSE(parse_duration("10 s"));
  CHECK_FALSE(parse_duration("1.2.3"));
  CHECK_FALSE(parse_duration("10d"));
  CHECK_FALSE(parse_duration("ms"));
  CHECK(format_duration(10s) == "10s");
  CHECK(format_duration(1500ms) == "1500ms");
  CHECK(format_duration(2min) == "2m");
  CHECK(format_duration(1h) == "1h");
  CHECK(format_duration(0ms) == "0s");
}

TEST_CASE("headers") {
  CHECK(parse_header("X-Token: abc")->first == "X-Token");
  CHECK(parse_header("X-Token: abc")->second == "abc");
  CHECK(parse_header("X:  a: b ")->second == "a: b");
  CHECK(parse_header("X:")->second.empty());
  CHECK_FALSE(parse_header("no colon"));
  CHECK_FALSE(parse_header(": v"));
  CHECK_FALSE(parse_header("Bad Name: v"));
  CHECK_FALSE(parse_header("X: a\r\nInjected: 1"));
}

TEST_CASE("subscribe: URL, channels and options, global flags before or after the command") {
  auto o = parse({"-v", "subscribe", "http://127.0.0.1:8080/cometd", "/a", "/b/**", "-C", "5",
                  "--timeout", "2s", "-o", "envelope", "-H", "X-A: 1", "-vv"});
  CHECK(o.command == Options::Command::subscribe);
  CHECK(o.url.port == 8080);
  CHECK(o.channels == std::vector<std::string>{"/a", "/b/**"});
  CHECK(o.count == 5u);
  CHECK(o.timeout == 2s);
  CHECK(o.output == OutputFormat::envelope);
  CHECK(o.verbosity == 3);
  REQUIRE(o.headers.size() == 1);
  CHECK(o.headers[0].first == "X-A");
}

TEST_CASE("-o pretty is the default on a terminal only; --color and NO_COLOR") {
  struct Row {
    std::vector<const char*> args;
    bool terminal;
    std::map<std::string, std::string> env;
    OutputFormat output;
    bool color;
  };
  const std::vector<Row> rows = {
      {{"sub", "http://h/c", "/a"}, true, {}, OutputFormat::pretty, true},
      {{"sub", "http://h/c", "/a"}, false, {}, OutputFormat::json, false},
      {{"sub", "http://h/c", "/a", "-o", "json"}, true, {}, OutputFormat::json, true},
      {{"sub", "http://h/c", "/a", "-o", "pretty"}, false, {}, OutputFormat::pretty, false},
      {{"sub", "http://h/c", "/a"}, true, {{"NO_COLOR", "1"}}, OutputFormat::pretty, false},
      {{"sub", "http://h/c", "/a"}, true, {{"NO_COLOR", ""}}, OutputFormat::pretty, true},
      {{"sub", "http://h/c", "/a", "--color", "never"}, true, {}, OutputFormat::pretty, false},
      {{"sub", "http://h/c", "/a", "-o", "pretty", "--color", "always"}, false,
       {{"NO_COLOR", "1"}}, OutputFormat::pretty, true},
  };
  for (const auto& row : rows) {
    Env env{row.env};
    Options o = parse(row.args, env);
    resolve_terminal_defaults(o, row.terminal, env.get());
    CHECK(o.output == row.output);
    CHECK(o.color == row.color);
  }
  CHECK(usage_error({"sub", "http://h/c", "/a", "--color", "sometimes"}).find("auto, always or never") !=
        std::string::npos);
}

TEST_CASE("defaults") {
  auto o = parse({"sub", "http://h/cometd", "/a"});
  CHECK(o.timeout == 10s);
  CHECK(o.network_delay == 10s);
  CHECK(o.max_pending == 100u);
  CHECK(o.output == OutputFormat::json);
  CHECK_FALSE(o.count);
  CHECK(o.connection_types == std::vector<std::string>{"websocket", "long-polling"});
  CHECK_FALSE(o.strict_connection_type);
}

TEST_CASE("COMETD_URL stands in for the URL; COMETD_TOKEN for --bearer") {
  Env env;
  env.vars["COMETD_URL"] = "https://h/cometd";
  env.vars["COMETD_TOKEN"] = "tok";
  auto o = parse({"subscribe", "/a"}, env);
  CHECK(o.url.host == "h");
  CHECK(o.channels == std::vector<std::string>{"/a"});
  REQUIRE(o.headers.size() == 1);
  CHECK(o.headers[0].second == "Bearer tok");
  auto explicit_url = parse({"pub", "http://other/c", "/a", "1", "--bearer", "mine"}, env);
  CHECK(explicit_url.url.host == "other");
  CHECK(explicit_url.headers[0].second == "Bearer mine");
}

TEST_CASE("credentials in the URL become Basic authentication, and are never shown") {
  auto o = parse({"sub", "https://me:pw@h/cometd", "/a"});
  REQUIRE(o.headers.size() == 1);
  CHECK(o.headers[0].second == "Basic bWU6cHc=");
  CHECK(o.url_text == "https://[redacted]@h/cometd");
}

TEST_CASE("publish forms") {
  auto one_shot = parse({"publish", "http://h/c", "/chat/a", R"({"x": 1})"});
  CHECK(one_shot.channel == "/chat/a");
  CHECK(one_shot.data == std::optional<std::string>(R"({"x":1})"));
  auto negative = parse({"publish", "http://h/c", "/chat/a", "-1"});
  CHECK(negative.data == std::optional<std::string>("-1"));
  auto data_lines = parse({"pub", "http://h/c", "/chat/a", "--max-inflight", "7", "--acks"});
  CHECK_FALSE(data_lines.data);
  CHECK(data_lines.max_inflight == 7u);
  CHECK(data_lines.acks);
  auto requests = parse({"pub", "http://h/c", "--on-error", "abort"});
  CHECK(requests.channel.empty());
  CHECK(requests.abort_on_error);
}

TEST_CASE("--connection-type: ordered, comma-separated or repeated, a single one is strict") {
  auto o = parse({"--connection-type", "long-polling", "sub", "http://h/c", "/a"});
  CHECK(o.strict_connection_type);
  CHECK(o.connection_types == std::vector<std::string>{"long-polling"});
  auto both = parse({"--connection-type", "websocket", "--connection-type", "long-polling", "sub",
                     "http://h/c", "/a"});
  CHECK_FALSE(both.strict_connection_type);
  CHECK(usage_error({"--connection-type", "carrier-pigeon", "sub", "http://h/c", "/a"})
            .find("unknown connection type 'carrier-pigeon'") != std::string::npos);
}

TEST_CASE("usage errors say what is wrong") {
  struct Row {
    std::vector<const char*> args;
    const char* message;
  };
  const Row rows[] = {
      {{"sub", "http://h/c"}, "subscribe needs at least one CHANNEL"},
      {{"sub", "/a"}, "no server URL given"},
      {{"sub", "h:80/c", "/a"}, "is not a URL"},
      {{"sub", "ftp://h/c", "/a"}, "bad URL"},
      {{"sub", "http://h/c", "chat"}, "invalid channel 'chat': channel must start with '/'"},
      {{"sub", "http://h/c", "/meta/connect"}, "cannot subscribe to the meta channel"},
      {{"sub", "http://h/c", "/a", "-C", "0"}, "--count expects a whole number of at least 1"},
      {{"sub", "http://h/c", "/a", "-C", "x"}, "--count expects a whole number"},
      {{"sub", "http://h/c", "/a", "--timeout", "soon"}, "--timeout expects a duration"},
      {{"sub", "http://h/c", "/a", "-o", "xml"}, "-o expects json, envelope, data or pretty"},
      {{"sub", "http://h/c", "/a", "-H", "nocolon"}, "-H expects 'Name: value'"},
      {{"pub", "http://h/c", "/a/*", "1"}, "cannot publish to the wildcard channel /a/*"},
      {{"pub", "http://h/c", "/a", "hello"}, "DATA is not JSON"},
      {{"pub", "http://h/c", "/a", "1", "2"}, "publish takes [URL] [CHANNEL [DATA]]"},
      {{"pub", "http://h/c", "--max-inflight", "0"}, "--max-inflight expects a whole number"},
      {{"pub", "http://h/c", "--on-error", "ignore"}, "--on-error expects skip or abort"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{"subscirbe", "http://h/c", "/a"}, "did you mean subscribe?"},
      {{}, "no command given (the commands are subscribe (sub), publish (pub), call"},
      {{"--acks", "pub", "http://h/c"}, "--acks is an option of publish: put it after 'publish'"},
      {{"-C", "1", "sub", "http://h/c", "/a"}, "-C is an option of subscribe: put it after"},
      {{"pub", "http://h/c", "/a", "1", "-C", "2"}, "-C is an option of subscribe, not of publish"},
      {{"probe", "http://h/c", "--acks"}, "--acks is an option of subscribe and publish, not of"},
      {{"pub", "http://h/c", "--acks=yes"}, "--acks takes no value"},
      {{"pub", "http://h/c", "--timeout"}, "--timeout needs a value (DURATION)"},
      {{"-q", "-v", "pub", "http://h/c"}, "-q and -v contradict each other"},
      {{"sub", "http://h/c", "/a", "--acks"}, "--acks needs -i"},
      {{"sub", "http://h/c", "/a", "--max-inflight", "5"}, "--max-inflight needs -i"},
      {{"sub", "http://h/c", "/a", "--timeout", "87661h"}, "--timeout 87661h is over 10 years"},
      {{"sub", "http://h/c", "/a", "--duration", "999999999"}, "is over 10 years"},
      {{"help", "frob"}, "unknown command 'frob'; did you mean probe?"},
      {{"help", "pub", "sub"}, "help takes one COMMAND at most"},
  };
  for (const auto& row : rows) {
    const std::string expected = row.message;
    CAPTURE(expected);
    const std::string message = usage_error(row.args);
    CAPTURE(message);
    CHECK(message.find(expected) != std::string::npos);
  }
}

TEST_CASE("options go before or after the command; -- ends them; DATA is used as typed") {
  auto o = parse({"--timeout", "3s", "pub", "http://h/c", "/a", "[1,2,3]", "-q", "--acks"});
  CHECK(o.timeout == 3s);
  CHECK(o.verbosity == -1);
  CHECK(o.acks);
  CHECK(o.data == std::optional<std::string>("[1,2,3]"));
  CHECK(parse({"pub", "http://h/c", "/a", "[]"}).data == std::optional<std::string>("[]"));
  CHECK(parse({"pub", "http://h/c", "/a", "[ {\"a\": [1]} ]"}).data ==
        std::optional<std::string>(R"([{"a":[1]}])"));
  CHECK(parse({"pub", "http://h/c", "/a", "--", "-1"}).data == std::optional<std::string>("-1"));
  CHECK(parse({"pub", "http://h/c", "--", "/a", "\"--acks\""}).data ==
        std::optional<std::string>("\"--acks\""));
  auto clustered = parse({"-vvk", "sub", "http://h/c", "/a", "-C5", "--timeout=4s"});
  CHECK(clustered.verbosity == 2);
  CHECK(clustered.tls.insecure);
  CHECK(clustered.count == 5u);
  CHECK(clustered.timeout == 4s);
  auto call = parse({"call", "http://h/c", "/service/x", "[1]", "--duration", "2s"});
  CHECK(call.data == std::optional<std::string>("[1]"));
  CHECK(call.duration == std::optional<Millis>(2s));
}

TEST_CASE("0 is no limit for every duration option") {
  auto o = parse({"--timeout", "0", "--network-delay", "0", "sub", "http://h/c", "/a",
                  "--duration", "0", "--idle-timeout", "0"});
  CHECK(o.timeout == 0s);
  CHECK(o.network_delay == k_network_delay_no_limit);
  CHECK_FALSE(o.duration);
  CHECK_FALSE(o.idle_timeout);
  CHECK_FALSE(parse({"call", "http://h/c", "/service/x", "1", "--duration", "0"}).duration);
  CHECK(parse({"call", "http://h/c", "/service/x", "1"}).duration == std::optional<Millis>(10s));
  CHECK(parse({"--network-delay", "8000h", "sub", "http://h/c", "/a"}).network_delay ==
        k_network_delay_no_limit);
}

TEST_CASE("help, help COMMAND, COMMAND --help and --version print and exit 0") {
  auto run = [](std::vector<const char*> args) {
    args.insert(args.begin(), "cometd-cli");
    return parse_command_line(static_cast<int>(args.size()), args.data(), Env{}.get());
  };
  auto main_help = run({"help"});
  CHECK_FALSE(main_help.options);
  CHECK(main_help.exit_code == 0);
  CHECK(main_help.print.find("Usage: cometd-cli [OPTIONS] COMMAND [ARGS]") != std::string::npos);
  CHECK(run({"--help"}).print == main_help.print);
  auto publish_help = run({"help", "pub"});
  CHECK(publish_help.print.find("Usage: cometd-cli [OPTIONS] publish URL") != std::string::npos);
  CHECK(publish_help.print.find("--timeout") != std::string::npos);  // the global options too
  CHECK(run({"pub", "http://h/c", "-h"}).print == publish_help.print);
  CHECK(run({"--acks", "publish", "--help"}).print == publish_help.print);
  CHECK(run({"--version"}).print.rfind("cometd-cli ", 0) == 0);
}

TEST_SUITE_END();

TEST_SUITE_BEGIN("options");

TEST_CASE("the proxy: --proxy, else the environment by scheme, lower case first; NO_PROXY") {
  Env env;
  env.vars["HTTPS_PROXY"] = "http://upper:1";
  env.vars["https_proxy"] = "lower:2";
  env.vars["HTTP_PROXY"] = "http://plain:3";
  auto o = parse({"sub", "https://h/cometd", "/a"}, env);
  REQUIRE(o.proxy);
  CHECK(o.proxy->host == "lower");
  CHECK(o.proxy->port == 2);
  // httpoxy: only the lower-case http_proxy for http and ws, as curl.
  o = parse({"sub", "ws://h/cometd", "/a"}, env);
  CHECK_FALSE(o.proxy);
  env.vars["http_proxy"] = "http://plain:3";
  o = parse({"sub", "ws://h/cometd", "/a"}, env);
  REQUIRE(o.proxy);
  CHECK(o.proxy->host == "plain");
  env.vars.erase("http_proxy");
  env.vars["ALL_PROXY"] = "all:4";
  o = parse({"sub", "http://h/cometd", "/a"}, env);
  REQUIRE(o.proxy);
  CHECK(o.proxy->host == "all");
  env.vars.erase("ALL_PROXY");
  o = parse({"--proxy", "http://me:pw@explicit:8080", "sub", "http://h/cometd", "/a"}, env);
  REQUIRE(o.proxy);
  CHECK(o.proxy->host == "explicit");
  CHECK(o.proxy->userinfo == "me:pw");
  o = parse({"--proxy", "", "sub", "http://h/cometd", "/a"}, env);
  CHECK_FALSE(o.proxy);
  env.vars["NO_PROXY"] = "h";
  o = parse({"sub", "https://h/cometd", "/a"}, env);
  CHECK_FALSE(o.proxy);
  CHECK(usage_error({"--proxy", "https://p:1", "sub", "http://h/c", "/a"}).find("http:// proxy") !=
        std::string::npos);
  CHECK(usage_error({"--proxy", "bogus", "sub", "http://h/c", "/a"}).find("--proxy expects") == 0);
  CHECK(usage_error({"--proxy", "http://", "sub", "http://h/c", "/a"}).find("no host") !=
        std::string::npos);
}

TEST_CASE("TLS files must be readable: exit 66") {
  try {
    parse({"--cacert", "/nonexistent/ca.pem", "sub", "https://h/c", "/a"});
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::no_input);
    CHECK(std::string(e.what()).find("cannot read --cacert /nonexistent/ca.pem") == 0);
  }
  CHECK(usage_error({"--key", "/etc/hostname", "sub", "https://h/c", "/a"}) == "--key needs --cert");
}

TEST_SUITE_END();
