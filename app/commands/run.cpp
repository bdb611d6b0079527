#include "commands/run.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/signal_set.hpp>
#include <csignal>
#include <random>

#include "auth_command.hpp"
#include "builtins.hpp"
#include "chain.hpp"
#include "bench/bench.hpp"
#include "commands/call.hpp"
#include "make_transport.hpp"
#include "commands/probe.hpp"
#include "commands/publish.hpp"
#include "commands/subscribe.hpp"
#include "io/line_writer.hpp"
#include "redact.hpp"
#include "session/scheduler.hpp"
#include "session/session.hpp"

namespace cometd {

TransportSettings transport_settings(const Options& options) {
  TransportSettings settings;
  settings.url = options.url;
  settings.tls = options.tls;
  settings.proxy = options.proxy;
  settings.open_timeout = options.network_delay;
  settings.max_message_size = options.max_message_size;
  if (options.proxy) {
    spdlog::info("using the proxy {}", redact_url(options.proxy->str()));
  }
  return settings;
}

Headers base_headers(const Options& options) {
  Headers headers = options.headers;
  headers.emplace_back("User-Agent", "cometd-cli/" COMETD_VERSION);
  return headers;
}

SessionOptions session_options_for(const Options& options) {
  SessionOptions session_options;
  session_options.url = options.url_text;
  session_options.connection_types = options.connection_types;
  session_options.strict_connection_type = options.strict_connection_type;
  session_options.network_delay = options.network_delay;
  session_options.timeout = options.timeout;
  const bool keeps_retrying = options.command == Options::Command::subscribe ||
                              options.command == Options::Command::bench;
  session_options.reconnect_timeout =
      keeps_retrying && !options.timeout_given ? Millis{0} : options.timeout;
  session_options.headers = base_headers(options);
  session_options.handshake_ext = options.handshake_ext;
  return session_options;
}

int run(const Options& options) {
  // EPIPE instead of death when the reader of stdout goes away (| head -1).
  std::signal(SIGPIPE, SIG_IGN);
  if (options.tls.insecure && options.url.tls()) {
    spdlog::warn("--insecure: the server's TLS certificate and host name are not verified");
  }
  if (options.command == Options::Command::probe) {
    return run_probe(options, transport_settings(options));
  }
  if (options.command == Options::Command::bench) {
    return run_bench(options, transport_settings(options));
  }

  asio::io_context io;  // first: destroyed last
  AsioScheduler scheduler(io);
  CookieJar jar;
  const TransportSettings settings = transport_settings(options);

  // Extensions: built-ins in --ext order, plugins in command-line order (exit 78 when one
  // cannot be loaded), the auth source's first credentials before the handshake (77).
  std::vector<std::unique_ptr<MessageExtension>> builtins;
  for (const auto& name : options.builtin_extensions) {
    builtins.push_back(make_builtin(name, options.replay));
  }
  ExtensionChain chain(io);
  for (const auto& [path, arg] : options.plugins) {
    chain.add_plugin(Plugin::load(path, arg));
    spdlog::info("loaded plugin {}", path);
  }
  if (!options.auth_command.empty()) {
    chain.set_auth_command(options.auth_command);
    // Until the io loop takes the signals over, SIGINT and SIGTERM end the helper (and its
    // process group) and then this run, instead of killing us and leaving it behind.
    struct sigaction action {};
    action.sa_handler = [](int signal_number) { interrupt_auth_helpers(signal_number); };
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    chain.fetch_initial_credentials();
  }

  std::unique_ptr<Command> command;
  LineWriter writer(STDOUT_FILENO, [&io, &command](LineSink::Event event, std::size_t count) {
    asio::post(io, [&command, event, count] { command->on_output_event(event, count); });
  });
  const CommandContext context{io, scheduler, writer, STDIN_FILENO};
  switch (options.command) {
    case Options::Command::subscribe:
      command = std::make_unique<SubscribeCommand>(context, options);
      break;
    case Options::Command::call:
      command = std::make_unique<CallCommand>(context, options);
      break;
    default:
      command = std::make_unique<PublishCommand>(context, options);
  }

  SessionOptions session_options = session_options_for(options);
  // A one-shot publish is handshake, publish, disconnect: no connect loop needed.
  session_options.connect_loop =
      !(options.command == Options::Command::publish && options.data.has_value());

  std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Session session(
      session_options, scheduler,
      [&](std::string_view type) { return make_transport(type, io, settings, jar); }, *command,
      [&] { return uniform(rng); });
  std::vector<MessageExtension*> builtin_pointers;
  ReplayExtension* replay = nullptr;
  for (auto& extension : builtins) {
    builtin_pointers.push_back(extension.get());
    if (extension->name() == "replay") {
      replay = static_cast<ReplayExtension*>(extension.get());
    }
  }
  const bool hooks = chain.has_payload_hooks() || chain.can_authenticate();
  session.use_extensions(std::move(builtin_pointers), hooks ? &chain : nullptr);
  command->attach(session);
  command->use_replay(replay);

  asio::signal_set signals(io, SIGINT, SIGTERM);
  std::function<void(const std::error_code&, int)> on_signal =
      [&](const std::error_code& ec, int signal_number) {
        if (ec) {
          return;
        }
        signals.async_wait(on_signal);
        if (!options.auth_command.empty()) {
          interrupt_auth_helpers(signal_number);  // a helper running now ends with its group
        }
        command->on_signal(signal_number);
      };
  signals.async_wait(on_signal);

  writer.start();
  command->start();
  io.run();
  return to_int(command->exit_code());
}

}  // namespace cometd
