#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

int main(int argc, char** argv) {
  // The session logs through spdlog; tests keep quiet unless asked (COMETD_TEST_LOG=1).
  spdlog::set_level(std::getenv("COMETD_TEST_LOG") ? spdlog::level::trace : spdlog::level::off);
  return doctest::Context(argc, argv).run();
}
