#include "cli/cli_main.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>

#include "exit_code.hpp"
#include "cli/logging.hpp"
#include "cli/options.hpp"
#include "commands/run.hpp"

namespace cometd {

int cli_main(int argc, const char* const* argv) {
  // Before anything can log: spdlog's default logger writes to stdout.
  setup_logging(0);
  try {
    ParsedCommandLine parsed = parse_command_line(argc, argv, process_env);
    if (!parsed.options) {
      std::fputs(parsed.print.c_str(), stdout);
      return parsed.exit_code;
    }
    setup_logging(parsed.options->verbosity);
    return run(*parsed.options);
  } catch (const Error& e) {
    spdlog::error("{}", e.what());
    if (e.code() == ExitCode::usage) {
      std::fputs("Try 'cometd-cli --help' for more information.\n", stderr);
    }
    return to_int(e.code());
  } catch (const std::exception& e) {
    spdlog::error("internal error: {}", e.what());
    return to_int(ExitCode::failure);
  }
}

}  // namespace cometd
