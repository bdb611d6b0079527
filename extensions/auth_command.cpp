#include "auth_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <simdjson.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>

#include "bayeux/json_out.hpp"
#include "header_field.hpp"

extern char** environ;

namespace cometd {

bool parse_credentials(const std::string& output, Credentials& credentials, std::string& error) {
  credentials = Credentials{};
  const std::string_view text = trim_json_whitespace(output);
  if (text.empty()) {
    error = "it printed nothing (expected a token line or {\"headers\":…,\"ext\":…})";
    return false;
  }
  if (text.front() != '{') {
    std::string_view token = text.substr(0, text.find('\n'));
    while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) {
      token.remove_suffix(1);
    }
    if (token.empty() || token.find_first_of(" \t\r\n") != std::string_view::npos) {
      error = "its first line is not a token";
      return false;
    }
    if (!is_header_value(token)) {
      error = "its token holds a control character";
      return false;
    }
    credentials.headers.emplace_back("Authorization", "Bearer " + std::string(token));
    return true;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root) || !root.is_object()) {
    error = "its output is not a JSON object";
    return false;
  }
  simdjson::dom::object headers;
  if (root["headers"].get(headers) == simdjson::SUCCESS) {
    for (auto [name, value] : headers) {
      std::string_view v;
      if (value.get_string().get(v)) {
        error = "header " + header_name_for_message(name) + " is not a string";
        return false;
      }
      if (std::string why = header_field_error("its output", name, v); !why.empty()) {
        error = std::move(why);
        return false;
      }
      credentials.headers.emplace_back(std::string(name), std::string(v));
    }
  }
  simdjson::dom::object ext;
  if (root["ext"].get(ext) == simdjson::SUCCESS) {
    std::string object = simdjson::minify(ext);
    credentials.ext = object.size() > 2 ? object.substr(1, object.size() - 2) : std::string();
  }
  if (credentials.headers.empty() && credentials.ext.empty()) {
    error = "its JSON has neither \"headers\" nor \"ext\"";
    return false;
  }
  return true;
}

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds k_term_grace{200};  // SIGTERM, then SIGKILL
constexpr int k_exit_check_ms = 50;  // how often a helper that keeps its pipe open is checked

/// The self-pipe a signal writes to: every helper's wait watches it.
int interrupt_fd(bool read_end) {
  static int fds[2] = {-1, -1};
  static const bool made = ::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0;
  return made ? fds[read_end ? 0 : 1] : -1;
}
std::atomic<int> g_signal{0};
std::atomic<bool> g_interrupted{false};

bool interrupted() { return g_interrupted.load(); }

/// Whether `pid` has exited, without reaping it: while it is a zombie its pid (the group's
/// id) cannot be reused, so the group can still be signalled safely.
bool has_exited(pid_t pid) {
  siginfo_t info{};
  return ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

/// SIGTERM to the helper's whole group, SIGKILL after a grace period; reaps the helper.
int end_group(pid_t pid) {
  ::kill(-pid, SIGTERM);
  const auto until = Clock::now() + k_term_grace;
  while (!has_exited(pid) && Clock::now() < until) {
    ::usleep(5000);
  }
  ::kill(-pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

/// Reads what the pipe holds now (non-blocking): false at EOF.
bool drain(int fd, std::string& output) {
  char buf[4096];
  while (true) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      output.append(buf, static_cast<std::size_t>(n));
      if (output.size() > 1024 * 1024) {
        return false;
      }
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    return n < 0;  // EAGAIN: more may come; 0: EOF
  }
}

}  // namespace

void interrupt_auth_helpers(int signal_number) {
  if (signal_number != 0) {
    g_signal.store(signal_number);
  }
  g_interrupted.store(true);
  const char byte = 1;
  [[maybe_unused]] const ssize_t n = ::write(interrupt_fd(false), &byte, 1);
}

int auth_interrupt_signal() { return g_signal.load(); }

bool run_auth_command(const std::string& command, std::chrono::milliseconds limit,
                      Credentials& credentials, std::string& error) {
  (void)interrupt_fd(true);  // made before any helper exists, and before a signal needs it
  if (interrupted()) {
    error = "interrupted";
    return false;
  }
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    error = std::string("cannot run it: ") + std::strerror(errno);
    return false;
  }
  ::fcntl(out[0], F_SETFL, ::fcntl(out[0], F_GETFL) | O_NONBLOCK);  // ours only, not its end
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // Nothing of ours beyond stdin, stdout and stderr: not a socket that some library opened
  // without close-on-exec, not another helper's pipe.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setpgroup(&attributes, 0);  // its own group: it is ended as a whole
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGTERM);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
  pid_t pid = 0;
  const int spawned = ::posix_spawn(&pid, "/bin/sh", &actions, &attributes,
                                    const_cast<char* const*>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  ::close(out[1]);
  if (spawned != 0) {
    ::close(out[0]);
    error = std::string("cannot run it: ") + std::strerror(spawned);
    return false;
  }
  std::string output;
  const auto deadline = Clock::now() + limit;
  enum class End { eof, exited, timed_out, too_big, interrupted } end = End::eof;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      end = End::timed_out;
      break;
    }
    pollfd fds[2] = {{out[0], POLLIN, 0}, {interrupt_fd(true), POLLIN, 0}};
    const int ready =
        ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), k_exit_check_ms)));
    if (ready < 0 && errno != EINTR) {
      end = End::eof;
      break;
    }
    if (interrupted()) {
      end = End::interrupted;
      break;
    }
    if (!drain(out[0], output)) {
      end = output.size() > 1024 * 1024 ? End::too_big : End::eof;
      break;
    }
    if (has_exited(pid)) {
      // Done, even if a child it left in the background still holds the pipe open.
      drain(out[0], output);
      end = output.size() > 1024 * 1024 ? End::too_big : End::exited;
      break;
    }
  }
  ::close(out[0]);
  int status = 0;
  if (end == End::eof || end == End::exited) {
    while (!has_exited(pid)) {
      pollfd fd{interrupt_fd(true), POLLIN, 0};
      if (interrupted() || Clock::now() >= deadline) {
        break;
      }
      ::poll(&fd, 1, 10);
    }
  }
  // Whatever it left behind in its group goes with it; the helper is reaped only after, so
  // that its group id cannot have been reused when the group is signalled.
  if (has_exited(pid)) {
    ::kill(-pid, SIGTERM);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  } else {
    status = end_group(pid);
    if (end == End::eof || end == End::exited) {
      end = interrupted() ? End::interrupted : End::timed_out;
    }
  }
  switch (end) {
    case End::timed_out:
      error = "it did not finish within " +
              (limit.count() % 1000 == 0 ? std::to_string(limit.count() / 1000) + " s"
                                          : std::to_string(limit.count()) + " ms");
      return false;
    case End::too_big:
      error = "its output is over 1 MiB";
      return false;
    case End::interrupted:
      error = "interrupted";
      return false;
    default:
      break;
  }
  if (WIFSIGNALED(status)) {
    error = "it was killed by signal " + std::to_string(WTERMSIG(status));
    return false;
  }
  if (WEXITSTATUS(status) != 0) {
    error = "it exited with status " + std::to_string(WEXITSTATUS(status));
    return false;
  }
  return parse_credentials(output, credentials, error);
}

}  // namespace cometd
