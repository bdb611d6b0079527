// The --trace file: lines whole and in order, flushed on demand and at the end, private, and a
// write error said once without ending anything.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "exit_code.hpp"
#include "io/trace_file.hpp"
#include "session_harness.hpp"
#include "temp_files.hpp"

using namespace cometd;
using test::read_file;
using test::temp_path;

TEST_CASE("the trace file: every line, in order, once flushed; mode 0600") {
  const std::string path = temp_path("trace-order");
  auto file = TraceFile::open(path);
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    const std::string line = "{\"n\":" + std::to_string(i) + "}\n";
    file->write(line);
    expected += line;
  }
  file->flush();
  CHECK(read_file(path) == expected);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  file.reset();
  ::unlink(path.c_str());
}

TEST_CASE("the trace file: what is pending is written when it ends") {
  const std::string path = temp_path("trace-end");
  {
    auto file = TraceFile::open(path);
    file->write("{\"a\":1}\n");
    file->write("{\"b\":2}\n");
  }
  CHECK(read_file(path) == "{\"a\":1}\n{\"b\":2}\n");
  ::unlink(path.c_str());
}

TEST_CASE("the trace file: a write error is said once, and tracing stops") {
  test::LogCapture log;
  auto file = TraceFile::open("/dev/full");
  file->write("{\"a\":1}\n");
  file->flush();
  file->write("{\"b\":2}\n");
  file->flush();
  const std::string text = log.text();
  CHECK(text.find("cannot write the trace to /dev/full (No space left on device)") !=
        std::string::npos);
  CHECK(text.find("cannot write") == text.rfind("cannot write"));
}

TEST_CASE("the trace file: a path that cannot be created is exit 73") {
  try {
    TraceFile::open("/nonexistent-dir/trace");
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::cant_create);
    CHECK(std::string(e.what()).find("cannot create the --trace file /nonexistent-dir/trace") !=
          std::string::npos);
  }
}
