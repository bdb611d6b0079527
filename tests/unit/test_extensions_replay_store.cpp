#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "builtins.hpp"
#include "exit_code.hpp"
#include "replay_store.hpp"
#include "temp_files.hpp"

using namespace cometd;
using test::read_file;

TEST_SUITE_BEGIN("replay_store");

namespace {

/// A fresh directory for one test, removed with what it holds.
struct TempDir {
  std::string path;
  TempDir() {
    char name[] = "/tmp/cometd-cli-store-XXXXXX";
    REQUIRE(::mkdtemp(name) != nullptr);
    path = name;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  std::string operator/(const std::string& name) const { return path + "/" + name; }
};

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

ExitCode error_of(const std::string& path) {
  try {
    ReplayStore store(path);
  } catch (const Error& e) {
    return e.code();
  }
  return ExitCode::ok;
}

std::string ext_of(MessageExtension& extension, std::string_view channel,
                   std::string_view subscription = {}) {
  std::string members;
  extension.outgoing({channel, subscription}, members);
  return members;
}

void feed(MessageExtension& extension, const std::string& body) {
  BatchParser parser;
  REQUIRE(parser.parse(body));
  for (const auto& m : parser.messages()) {
    extension.incoming(m);
  }
}

}  // namespace

TEST_CASE("replay positions: bounded integers and short strings only") {
  CHECK(is_replay_position("4817372"));
  CHECK(is_replay_position("-2"));
  CHECK(is_replay_position("0"));
  CHECK(is_replay_position("9223372036854775807"));
  CHECK(is_replay_position(R"("AAAAAAAAAAE=")"));
  CHECK_FALSE(is_replay_position("9223372036854775808"));  // past 64 bits
  CHECK_FALSE(is_replay_position("1e999"));
  CHECK_FALSE(is_replay_position("1.5"));
  CHECK_FALSE(is_replay_position("007"));
  CHECK_FALSE(is_replay_position(R"({"evil":1})"));
  CHECK_FALSE(is_replay_position("[1]"));
  CHECK_FALSE(is_replay_position("true"));
  CHECK_FALSE(is_replay_position("null"));
  CHECK_FALSE(is_replay_position(""));
  CHECK_FALSE(is_replay_position(R"("unterminated)"));
  CHECK_FALSE(is_replay_position("\"" + std::string(300, 'x') + "\""));
}

TEST_CASE("the store is created at the start, private to the user") {
  TempDir dir;
  const std::string path = dir / "store.json";
  ReplayStore store(path);
  CHECK(store.initial().empty());
  CHECK(read_file(path) == "{}\n");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("a store that cannot be created, or is not a store, is refused at the start") {
  TempDir dir;
  CHECK(error_of(dir / "missing/store.json") == ExitCode::cant_create);
  REQUIRE(::mkdir((dir / "a-directory").c_str(), 0700) == 0);
  CHECK(error_of(dir / "a-directory") == ExitCode::cant_create);
  // A symbolic link is not followed: its target stays as it was.
  write_file(dir / "victim", "precious");
  REQUIRE(::symlink((dir / "victim").c_str(), (dir / "link.json").c_str()) == 0);
  CHECK(error_of(dir / "link.json") == ExitCode::cant_create);
  CHECK(read_file(dir / "victim") == "precious");
  // Not a JSON object: probably the wrong path; left alone.
  write_file(dir / "notes.txt", "these are my notes\n");
  CHECK(error_of(dir / "notes.txt") == ExitCode::config);
  CHECK(read_file(dir / "notes.txt") == "these are my notes\n");
}

TEST_CASE("a planted symlink at a temporary name is never written through") {
  TempDir dir;
  const std::string path = dir / "store.json";
  write_file(dir / "victim", "precious");
  // The names a temporary file beside the store would have had with a pid suffix.
  REQUIRE(::symlink((dir / "victim").c_str(),
                    (path + ".tmp." + std::to_string(::getpid())).c_str()) == 0);
  ReplayOptions options;
  options.store = path;
  ReplayExtension replay(options);
  (void)ext_of(replay, "/meta/subscribe", "/event/A");
  replay.written("/event/A", "105");
  std::string error;
  CHECK(replay.save(error));
  CHECK(read_file(dir / "victim") == "precious");
  CHECK(read_file(path) == "{\"/event/A\":105}\n");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("runs sharing a store keep each other's channels") {
  TempDir dir;
  const std::string path = dir / "store.json";
  write_file(path, R"({"/event/Old": 1})");
  ReplayOptions options;
  options.store = path;
  ReplayExtension first(options);  // both read the store before either writes
  ReplayExtension second(options);
  (void)ext_of(first, "/meta/subscribe", "/event/A");
  (void)ext_of(second, "/meta/subscribe", "/event/B");
  std::string error;
  first.written("/event/A", "10");
  CHECK(first.save(error));
  second.written("/event/B", "20");
  CHECK(second.save(error));
  first.written("/event/A", "11");
  CHECK(first.save(error));
  CHECK(read_file(path) == R"({"/event/A":11,"/event/B":20,"/event/Old":1})"
                           "\n");
}

TEST_CASE("a poisoned store: entries that are not positions are dropped, not fatal") {
  TempDir dir;
  const std::string path = dir / "store.json";
  write_file(path,
             R"({"/event/A": {"evil": 1}, "/event/B": 7, "/event/C": 1e999, "/event/D": "s"})");
  ReplayOptions options;
  options.store = path;
  options.from = "-2";
  ReplayExtension replay(options);
  CHECK(ext_of(replay, "/meta/subscribe", "/event/A") == R"("replay":{"/event/A":-2})");
  CHECK(ext_of(replay, "/meta/subscribe", "/event/B") == R"("replay":{"/event/B":7})");
  CHECK(ext_of(replay, "/meta/subscribe", "/event/D") == R"("replay":{"/event/D":"s"})");
  // Rewritten at the start without the poison.
  CHECK(read_file(path) == R"({"/event/B":7,"/event/D":"s"})"
                           "\n");
}

TEST_CASE("a delivery's replay id that is not a position never reaches the store") {
  TempDir dir;
  const std::string path = dir / "store.json";
  ReplayOptions options;
  options.store = path;
  ReplayExtension replay(options);
  (void)ext_of(replay, "/meta/subscribe", "/event/A");
  const std::string good = R"([{"channel":"/event/A","data":{"event":{"replayId":41}}}])";
  const std::string evil = R"([{"channel":"/event/A","data":{"event":{"replayId":{"evil":1}}}}])";
  const std::string other = R"([{"channel":"/event/Other","data":{"event":{"replayId":5}}}])";
  feed(replay, good);
  feed(replay, evil);
  feed(replay, other);  // not subscribed to: not kept
  CHECK(ext_of(replay, "/meta/subscribe", "/event/A") == R"("replay":{"/event/A":41})");
  BatchParser parser;
  REQUIRE(parser.parse(evil));
  CHECK(ReplayExtension::replay_id(parser.messages().front()).empty());
  replay.written("/event/A", R"({"evil":1})");
  replay.written("/event/Other", "5");
  std::string error;
  CHECK(replay.save(error));
  CHECK(read_file(path) == "{}\n");
}

TEST_CASE("a store that can no longer be written says so") {
  TempDir dir;
  REQUIRE(::mkdir((dir / "sub").c_str(), 0700) == 0);
  const std::string path = dir / "sub/store.json";
  ReplayOptions options;
  options.store = path;
  ReplayExtension replay(options);
  (void)ext_of(replay, "/meta/subscribe", "/event/A");
  REQUIRE(std::system(("rm -rf '" + dir / "sub" + "'").c_str()) == 0);
  replay.written("/event/A", "105");
  std::string error;
  CHECK_FALSE(replay.save(error));
  CHECK(error.find("cannot write --replay-store " + path) == 0);
}

TEST_SUITE_END();
