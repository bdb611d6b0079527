// Files the unit tests write and read back.
#pragma once

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace cometd::test {

/// "/tmp/cometd-cli-test-PID-NAME": one file per process and name.
inline std::string temp_path(const char* name) {
  return std::string("/tmp/cometd-cli-test-") + std::to_string(::getpid()) + "-" + name;
}

/// The whole of a file ("" when it cannot be read).
inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace cometd::test
