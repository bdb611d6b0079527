#include "auth_command.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <simdjson.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

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

bool run_auth_command(const std::string& command, std::chrono::milliseconds limit,
                      Credentials& credentials, std::string& error) {
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    error = std::string("cannot run it: ") + std::strerror(errno);
    return false;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setpgroup(&attributes, 0);  // its own group: a timeout kills all of it
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
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
  const auto deadline = std::chrono::steady_clock::now() + limit;
  bool timed_out = false;
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd fd = {out[0], POLLIN, 0};
    const int ready = ::poll(&fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready == 0) {
      timed_out = true;
      break;
    }
    char buf[4096];
    const ssize_t n = ::read(out[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      break;
    }
    output.append(buf, static_cast<std::size_t>(n));
    if (output.size() > 1024 * 1024) {
      error = "its output is over 1 MiB";
      ::kill(-pid, SIGKILL);
      timed_out = false;
      break;
    }
  }
  ::close(out[0]);
  if (timed_out) {
    ::kill(-pid, SIGKILL);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    error = "it did not finish within " +
            (limit.count() % 1000 == 0 ? std::to_string(limit.count() / 1000) + " s"
                                        : std::to_string(limit.count()) + " ms");
    return false;
  }
  if (!error.empty()) {
    return false;
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
