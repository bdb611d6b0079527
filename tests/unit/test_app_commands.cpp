#include <doctest/doctest.h>

#include "command_rig.hpp"
#include "commands/call.hpp"
#include "commands/publish.hpp"
#include "commands/subscribe.hpp"

using namespace cometd;
using namespace cometd::test;

TEST_SUITE_BEGIN("commands");

namespace {

Options publish_options() {
  Options o;
  o.command = Options::Command::publish;
  o.connection_types = {"long-polling"};
  return o;
}

Options subscribe_options(std::vector<std::string> channels) {
  Options o;
  o.command = Options::Command::subscribe;
  o.connection_types = {"long-polling"};
  o.channels = std::move(channels);
  return o;
}

template <typename C>
auto make() {
  return [](const CommandContext& context, const Options& options) {
    return std::make_unique<C>(context, options);
  };
}

/// Answers the disconnect and lets the transport close: the run ends.
void finish(CommandRig& rig) {
  REQUIRE(rig.run_until_sent(Lane::request));
  CHECK(field(rig.transport->sent.back().body, 0, "channel") == "/meta/disconnect");
  rig.ok(Lane::request);
  rig.scheduler.run_ready();
  rig.shut_down();
  CHECK(rig.run_to_end());
}

}  // namespace

TEST_CASE("publish --acks: one record per reply, with the stdin line number") {
  LogCapture log;
  Options o = publish_options();
  o.acks = true;
  CommandRig rig(o, "{\"channel\":\"/a\",\"data\":1,\"id\":\"mine\"}\n\n{\"channel\":\"/b\",\"data\":2}\n",
                 make<PublishCommand>());
  rig.command->start();
  rig.handshake_ok();
  REQUIRE(rig.run_until([&] { return rig.messages_sent(Lane::request) == 2; }));
  rig.answer(Lane::request, [](const std::string& channel, const std::string& id) {
    return R"({"id":")" + id + R"(","channel":")" + channel + "\",\"successful\":" +
           (channel == "/a" ? "true}" : R"(false,"error":"405::channel_invalid"})");
  });
  finish(rig);
  const auto records = rig.sink.records();
  REQUIRE(records.size() == 2);
  CHECK(records[0] == R"({"line":1,"channel":"/a","id":"mine","successful":true})");
  CHECK(records[1].rfind(R"({"line":3,"channel":"/b","id":")", 0) == 0);
  CHECK(records[1].find(R"("successful":false,"error":"405::channel_invalid"})") !=
        std::string::npos);
  CHECK(rig.command->exit_code() == ExitCode::failure);
}

TEST_CASE("publish --acks: bad lines get their record too, and records come in line order") {
  LogCapture log;
  Options o = publish_options();
  o.acks = true;
  CommandRig rig(o, "{\"channel\":\"/a\",\"data\":1}\nnot json\n{\"channel\":\"/b\",\"data\":2}\n",
                 make<PublishCommand>());
  rig.command->start();
  rig.handshake_ok();
  REQUIRE(rig.run_until([&] { return rig.messages_sent(Lane::request) == 2; }));
  // The replies in the other order: the records still follow the lines.
  auto request = rig.transport->take(Lane::request);
  rig.transport->listener().on_batch(
      request.tag, R"([{"id":")" + field(request.body, 1, "id") +
                       R"(","channel":"/b","successful":true},{"id":")" +
                       field(request.body, 0, "id") + R"(","channel":"/a","successful":true}])");
  finish(rig);
  const auto records = rig.sink.records();
  REQUIRE(records.size() == 3);
  CHECK(records[0].rfind(R"({"line":1,"channel":"/a",)", 0) == 0);
  CHECK(records[1].rfind(R"({"line":2,"channel":null,"id":null,"successful":false,)"
                         R"("error":"not JSON: 'not' is not a JSON value (column 1))",
                         0) == 0);
  CHECK(records[2].rfind(R"({"line":3,"channel":"/b",)", 0) == 0);
  CHECK(rig.command->exit_code() == ExitCode::bad_input);
}

TEST_CASE("publish --acks, stdout closed: no more stdin, in-flight awaited, the rest told, exit 1") {
  LogCapture log;
  Options o = publish_options();
  o.channel = "/a";
  o.acks = true;
  o.max_inflight = 1;
  CommandRig rig(o, "1\n2\n3\n", make<PublishCommand>());
  rig.command->start();
  rig.handshake_ok();
  REQUIRE(rig.run_until([&] { return rig.messages_sent(Lane::request) == 1; }));
  rig.ok(Lane::request);  // line 1
  REQUIRE(rig.run_until([&] { return rig.messages_sent(Lane::request) == 1; }));
  rig.command->on_output_event(LineSink::Event::closed, 0);  // head -1 is gone
  rig.sink.ended = true;
  rig.ok(Lane::request);  // line 2, in flight, is awaited
  finish(rig);
  CHECK(rig.sink.records().size() == 1);
  CHECK(log.contains("stdout is closed: 1 stdin line was not published"));
  CHECK(rig.command->exit_code() == ExitCode::failure);
}

TEST_CASE("publish without --acks: a reader of stdout that goes away changes nothing") {
  Options o = publish_options();
  o.channel = "/a";
  CommandRig rig(o, "1\n", make<PublishCommand>());
  rig.command->start();
  rig.command->on_output_event(LineSink::Event::closed, 0);
  rig.handshake_ok();
  REQUIRE(rig.run_until([&] { return rig.messages_sent(Lane::request) == 1; }));
  rig.ok(Lane::request);
  finish(rig);
  CHECK(rig.command->exit_code() == ExitCode::ok);
}

TEST_CASE("publish --raw: each line is sent as a JSON string") {
  Options o = publish_options();
  o.channel = "/text";
  o.raw = true;
  CommandRig rig(o, "plain text\n{\"not\": \"parsed\"}\n", make<PublishCommand>());
  rig.command->start();
  rig.handshake_ok();
  REQUIRE(rig.run_until([&] { return rig.messages_sent(Lane::request) == 2; }));
  const auto body = rig.transport->sent.back().body;
  CHECK(field(body, 0, "data") == "plain text");
  CHECK(field(body, 1, "data") == R"({"not": "parsed"})");
  rig.ok(Lane::request);
  finish(rig);
  CHECK(rig.command->exit_code() == ExitCode::ok);
}

TEST_CASE("publish: a bad line is reported and skipped, the good ones published, exit 65") {
  LogCapture log;
  CommandRig rig(publish_options(), "{\"channel\":\"/a\",\"data\":1}\n{\"channel\":\"/a/*\",\"data\":2}\n",
                 make<PublishCommand>());
  rig.command->start();
  rig.handshake_ok();
  REQUIRE(rig.run_until([&] { return rig.messages_sent(Lane::request) == 1; }));
  rig.ok(Lane::request);
  finish(rig);
  CHECK(rig.sink.records().empty());
  CHECK(log.contains("stdin:2: cannot publish to the wildcard channel /a/*"));
  CHECK(rig.command->exit_code() == ExitCode::bad_input);
}

TEST_CASE("subscribe -C 2: two lines, then the end, exit 0") {
  Options o = subscribe_options({"/a/**"});
  o.count = 2;
  CommandRig rig(o, "", make<SubscribeCommand>());
  rig.command->start();
  rig.handshake_ok();
  rig.ok(Lane::connect, R"({"channel":"/a/x","data":1},{"channel":"/a/y","data":2},)"
                        R"({"channel":"/a/z","data":3})");
  rig.scheduler.run_ready();
  CHECK(rig.run_until([&] { return rig.sink.lines == 2; }));
  rig.ok(Lane::request);  // the subscription
  finish(rig);
  const auto records = rig.sink.records();
  REQUIRE(records.size() == 2);
  CHECK(records[0] == R"({"channel":"/a/x","data":1})");
  CHECK(records[1] == R"({"channel":"/a/y","data":2})");
  CHECK(rig.command->exit_code() == ExitCode::ok);
}

TEST_CASE("subscribe: stdout closed by its reader ends the run with exit 0") {
  CommandRig rig(subscribe_options({"/a"}), "", make<SubscribeCommand>());
  rig.command->start();
  rig.handshake_ok();
  rig.ok(Lane::connect);
  rig.command->on_output_event(LineSink::Event::closed, 0);
  rig.ok(Lane::request);  // the subscription
  finish(rig);
  CHECK(rig.command->exit_code() == ExitCode::ok);
}

TEST_CASE("call: the reply message on the service channel is the one line of stdout") {
  Options o = publish_options();
  o.command = Options::Command::call;
  o.channel = "/service/echo";
  o.data = R"({"ping":true})";
  o.duration = std::chrono::seconds(10);
  CommandRig rig(o, "", make<CallCommand>());
  rig.command->start();
  rig.handshake_ok();
  REQUIRE(rig.run_until([&] { return rig.messages_sent(Lane::request) == 1; }));
  CHECK(field(rig.transport->sent.back().body, 0, "data") == R"({"ping":true})");
  rig.ok(Lane::request, R"({"channel":"/service/echo","data":{"pong":true}})");
  finish(rig);
  const auto records = rig.sink.records();
  REQUIRE(records.size() == 1);
  CHECK(records[0] == R"({"channel":"/service/echo","data":{"pong":true}})");
  CHECK(rig.command->exit_code() == ExitCode::ok);
}

TEST_SUITE_END();
