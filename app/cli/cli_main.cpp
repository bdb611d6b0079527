#include "cli/cli_main.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <new>

#include "exit_code.hpp"
#include "cli/logging.hpp"
#include "cli/options.hpp"
#include "commands/run.hpp"
#include "io/standard_fds.hpp"
#include "io/trace_file.hpp"

namespace cometd {

int cli_main(int argc, const char* const* argv) {
  // Before anything opens a descriptor that could take a closed standard one's number.
  const ClosedStandardFds closed = hold_standard_fds();
  // Before anything can log: spdlog's default logger writes to stdout.
  setup_logging(0);
  // Whatever way the run ends, the trace's last records reach the file.
  struct FlushTrace {
    ~FlushTrace() { flush_trace(); }
  } flush_at_exit;
  try {
    ParsedCommandLine parsed = parse_command_line(argc, argv, process_env);
    if (closed.out) {
      throw Error(ExitCode::io_error, "stdout is closed");
    }
    if (!parsed.options) {
      std::fputs(parsed.print.c_str(), stdout);
      return parsed.exit_code;
    }
    resolve_terminal_defaults(*parsed.options, ::isatty(STDOUT_FILENO) == 1, process_env);
    setup_logging(parsed.options->verbosity);
    if (!parsed.options->trace.empty()) {
      // Never destroyed: a lane thread left behind in name resolution may still record.
      install_trace(TraceFile::open(parsed.options->trace).release());
    }
    return run(*parsed.options);
  } catch (const Error& e) {
    spdlog::error("{}", e.what());
    if (e.code() == ExitCode::usage) {
      std::fputs("Try 'cometd-cli --help' for more information.\n", stderr);
    }
    return to_int(e.code());
  } catch (const std::bad_alloc&) {
    spdlog::error("out of memory");
    return to_int(ExitCode::failure);
  } catch (const std::exception& e) {
    spdlog::error("internal error: {}", e.what());
    return to_int(ExitCode::failure);
  }
}

}  // namespace cometd
