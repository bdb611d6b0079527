#include "bench/bench.hpp"

#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>

#include "bench/load.hpp"
#include "bench/report.hpp"
#include "io/fd_write.hpp"
#include "session/scheduler.hpp"

namespace cometd {

namespace {

/// Raises the soft open-file limit to the hard one, and says so when it still allows fewer
/// sessions than asked for (long-polling keeps two connections per session, WebSocket one).
void raise_file_limit(const Options& options) {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
    return;
  }
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      spdlog::debug("setrlimit(RLIMIT_NOFILE): {}", std::strerror(errno));
      ::getrlimit(RLIMIT_NOFILE, &limit);
    }
  }
  // WebSocket keeps one connection per session, long-polling two (the held connect and the
  // requests); the first preference is what most sessions will use.
  const bool websocket_first =
      !options.connection_types.empty() && options.connection_types.front() == "websocket";
  const std::uint64_t per_session = websocket_first ? 1 : 2;
  constexpr std::uint64_t k_reserved = 32;  // stdio, the resolver, spare
  const std::uint64_t usable = limit.rlim_cur > k_reserved ? limit.rlim_cur - k_reserved : 0;
  const std::uint64_t sessions = usable / per_session;
  if (sessions < options.bench.clients) {
    spdlog::warn(
        "the open-file limit ({}) allows about {} sessions over {} ({} descriptor{} each), "
        "not the {} --clients asked for; raise the hard limit (ulimit -Hn, LimitNOFILE)",
        static_cast<unsigned long long>(limit.rlim_cur), sessions,
        websocket_first ? "WebSocket" : "long-polling", per_session, per_session == 1 ? "" : "s",
        options.bench.clients);
  }
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    spdlog::error("cannot write {}: {}", path, std::strerror(errno));
    return false;
  }
  return true;
}

bool write_stdout(const std::string& text) {
  int error = 0;
  return write_fully(STDOUT_FILENO, text, error) || error == EPIPE;
}

}  // namespace

int run_bench(const Options& options, const TransportSettings& settings) {
  if (!options.plugins.empty() || !options.auth_command.empty()) {
    spdlog::error("bench does not load --ext-plugin or --auth-command yet (one plugin instance "
                  "would be shared by every session); use -H or --bearer for credentials");
    return to_int(ExitCode::usage);
  }
  if (options.bench.max_pending_given) {
    spdlog::warn("--max-pending has no effect on bench: deliveries are counted, not written");
  }
  raise_file_limit(options);
  asio::io_context io;  // first: destroyed last
  AsioScheduler scheduler(io);
  Load load(io, scheduler, options, settings);

  int signal_code = 0;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::function<void(const std::error_code&, int)> on_signal = [&](const std::error_code& ec,
                                                                    int number) {
    if (ec) {
      return;
    }
    if (signal_code != 0) {
      std::_Exit(to_int(number == SIGTERM ? ExitCode::terminated : ExitCode::interrupted));
    }
    signal_code = to_int(number == SIGTERM ? ExitCode::terminated : ExitCode::interrupted);
    signals.async_wait(on_signal);
    load.interrupt();
  };
  signals.async_wait(on_signal);

  load.start([&] {
    signals.cancel();
    io.stop();
  });
  io.run();

  if (!load.any_ready()) {
    spdlog::error("bench: {}", load.first_failure());
    return signal_code != 0 ? signal_code : to_int(ExitCode::unavailable);
  }
  const BenchResult result = load.result();
  bool files_ok = true;
  if (!options.bench.histogram_file.empty()) {
    files_ok = write_file(options.bench.histogram_file, result.latency.hgrm(1000.0)) && files_ok;
  }
  if (!options.bench.csv_file.empty()) {
    files_ok = write_file(options.bench.csv_file, report_csv(result)) && files_ok;
  }
  const bool table = !options.bench.json && ::isatty(STDOUT_FILENO) != 0;
  if (!write_stdout(table ? report_table(result) : report_json(result))) {
    spdlog::error("write error on stdout: {}", std::strerror(errno));
    return to_int(ExitCode::io_error);
  }
  if (signal_code != 0) {
    return signal_code;
  }
  if (result.total.lost > 0 || result.total.duplicated > 0) {
    spdlog::error("bench: {} deliveries lost, {} duplicated (of {} expected)", result.total.lost,
                  result.total.duplicated, result.total.expected);
    return to_int(ExitCode::failure);
  }
  return files_ok ? 0 : to_int(ExitCode::io_error);
}

}  // namespace cometd
