#include "replay_store.hpp"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <thread>

#include "bayeux/json_check.hpp"
#include "bayeux/json_out.hpp"
#include "exit_code.hpp"

namespace cometd {

namespace {

constexpr std::size_t k_max_string_position = 256;
constexpr std::size_t k_max_store_bytes = 16U << 20;
constexpr std::chrono::seconds k_lock_wait{10};  // runs hold the lock for one write
constexpr std::chrono::milliseconds k_lock_poll{5};

/// A file descriptor, closed when it goes.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) {
      ::close(fd_);
    }
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_;
};

struct Failure {
  ExitCode code = ExitCode::ok;
  std::string message;
};

bool fail(Failure& failure, ExitCode code, std::string message) {
  failure.code = code;
  failure.message = std::move(message);
  return false;
}

std::string reason(int error_number) { return std::strerror(error_number); }

/// Opens the store (creating it) and takes its lock. Writers replace the store by rename(2),
/// so the locked file must still be the one at the path; if another run replaced it
/// meanwhile, the new file is locked instead.
int open_locked(const std::string& path, Failure& failure) {
  const auto deadline = std::chrono::steady_clock::now() + k_lock_wait;
  while (true) {
    // O_NONBLOCK: a FIFO planted at the path must not hang the open.
    Fd fd(::open(path.c_str(), O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600));
    if (!fd) {
      const int e = errno;
      struct stat st {};
      if (e == ELOOP) {
        fail(failure, ExitCode::cant_create,
             "it is a symbolic link, which is not followed (give the file it points to)");
      } else if (e == EACCES && ::lstat(path.c_str(), &st) == 0) {
        fail(failure, ExitCode::no_input, "cannot read it: " + reason(e));
      } else {
        fail(failure, ExitCode::cant_create, "cannot create it: " + reason(e));
      }
      return -1;
    }
    struct stat held {};
    if (::fstat(fd.get(), &held) != 0 || !S_ISREG(held.st_mode)) {
      fail(failure, ExitCode::cant_create, "it is not a regular file");
      return -1;
    }
    while (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
      if (errno != EWOULDBLOCK && errno != EINTR) {
        fail(failure, ExitCode::cant_create, "cannot lock it: " + reason(errno));
        return -1;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        fail(failure, ExitCode::cant_create,
             "another process has held its lock for " + std::to_string(k_lock_wait.count()) + "s");
        return -1;
      }
      std::this_thread::sleep_for(k_lock_poll);
    }
    struct stat current {};
    if (::lstat(path.c_str(), &current) == 0 && current.st_dev == held.st_dev &&
        current.st_ino == held.st_ino) {
      return fd.release();
    }
    if (std::chrono::steady_clock::now() > deadline) {
      fail(failure, ExitCode::cant_create, "it keeps being replaced");
      return -1;
    }
  }
}

bool read_all(int fd, std::string& text, Failure& failure) {
  char buffer[65536];
  while (true) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return fail(failure, ExitCode::no_input, "cannot read it: " + reason(errno));
    }
    if (n == 0) {
      return true;
    }
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > k_max_store_bytes) {
      return fail(
          failure, ExitCode::config,
          "it is over " + std::to_string(k_max_store_bytes >> 20) + " MiB: not a replay store");
    }
  }
}

/// The exact text of `value`; for numbers too, so that 1e999 or 30-digit integers are read
/// (and dropped as positions) instead of failing the whole store.
simdjson::error_code raw_text(simdjson::ondemand::value value, std::string_view& out) {
  simdjson::ondemand::json_type type;
  if (auto e = value.type().get(type)) {
    return e;
  }
  if (type == simdjson::ondemand::json_type::object) {
    simdjson::ondemand::object object;
    if (auto e = value.get_object().get(object)) {
      return e;
    }
    return object.raw_json().get(out);
  }
  if (type == simdjson::ondemand::json_type::array) {
    simdjson::ondemand::array array;
    if (auto e = value.get_array().get(array)) {
      return e;
    }
    return array.raw_json().get(out);
  }
  out = trim_json_whitespace(value.raw_json_token());
  return simdjson::SUCCESS;
}

bool parse(const std::string& text, ReplayStore::Positions& positions,
           std::vector<std::string>& dropped, Failure& failure) {
  if (trim_json_whitespace(text).empty()) {
    return true;  // created by a run that has not saved a position yet
  }
  const auto not_a_store = [&failure] {
    return fail(failure, ExitCode::config,
                "it is not a JSON object {\"/channel\": replayId} (left as it is)");
  };
  std::string error;
  if (!validate_json_text(text, error)) {
    return not_a_store();
  }
  const simdjson::padded_string padded(text);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document document;
  simdjson::ondemand::object object;
  if (parser.iterate(padded).get(document) || document.get_object().get(object)) {
    return not_a_store();
  }
  for (auto field : object) {
    std::string_view channel;
    std::string_view id;
    if (field.unescaped_key().get(channel) || raw_text(field.value(), id)) {
      return not_a_store();
    }
    std::string minified;
    append_minified(minified, id);
    if (!channel.empty() && is_replay_position(minified)) {
      positions[std::string(channel)] = std::move(minified);
    } else {
      dropped.emplace_back(channel);
    }
  }
  return true;
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

/// Replaces the file at `path` with `text`, durably: a private temporary file beside it,
/// fsync, rename over it, fsync of the directory (so the rename itself survives a crash).
bool write_atomically(const std::string& path, const std::string& text, Failure& failure) {
  std::string temporary = path + ".tmp.XXXXXX";
  Fd fd(::mkostemp(temporary.data(), O_CLOEXEC));
  if (!fd) {
    return fail(failure, ExitCode::cant_create,
                "cannot create a temporary file beside it: " + reason(errno));
  }
  if (!write_all(fd.get(), text) || ::fsync(fd.get()) != 0) {
    const int e = errno;
    ::unlink(temporary.c_str());
    return fail(failure, ExitCode::cant_create, "cannot write it: " + reason(e));
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int e = errno;
    ::unlink(temporary.c_str());
    return fail(failure, ExitCode::cant_create, "cannot replace it: " + reason(e));
  }
  Fd directory(::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  // EINVAL: a file system that cannot sync directories (the rename is all it offers).
  if (!directory || (::fsync(directory.get()) != 0 && errno != EINVAL)) {
    return fail(failure, ExitCode::cant_create, "cannot sync its directory: " + reason(errno));
  }
  return true;
}

std::string serialise(const ReplayStore::Positions& positions) {
  std::string text = "{";
  for (const auto& [channel, id] : positions) {
    text += text.size() > 1 ? "," : "";
    append_json_string(text, channel);
    text += ':';
    text += id;
  }
  text += "}\n";
  return text;
}

/// Under the lock: reads the store, sets `ours` over it, writes it back. `read_back` gets what
/// was there before.
bool update(const std::string& path, const ReplayStore::Positions& ours,
            ReplayStore::Positions& read_back, std::vector<std::string>& dropped,
            Failure& failure) {
  const Fd locked(open_locked(path, failure));
  if (!locked) {
    return false;
  }
  std::string text;
  if (!read_all(locked.get(), text, failure) || !parse(text, read_back, dropped, failure)) {
    return false;
  }
  ReplayStore::Positions merged = read_back;
  for (const auto& [channel, id] : ours) {
    merged[channel] = id;
  }
  return write_atomically(path, serialise(merged), failure);
  // The lock goes with `locked`, after the rename: a run waiting for it then finds that the
  // path names a new file, and locks that one.
}

}  // namespace

bool is_replay_position(std::string_view json) {
  if (json.empty()) {
    return false;
  }
  if (json.front() == '"') {
    std::string error;
    return json.size() <= k_max_string_position && json.back() == '"' && json.size() >= 2 &&
           validate_json_text(json, error);
  }
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(json.data(), json.data() + json.size(), value);
  // JSON has no leading zeros ("007") and no '+'; from_chars takes neither sign nor spaces.
  const bool leading_zero =
      json.size() > 1 && (json[0] == '0' || (json[0] == '-' && json[1] == '0'));
  return ec == std::errc() && end == json.data() + json.size() && !leading_zero;
}

ReplayStore::ReplayStore(std::string path) : path_(std::move(path)) {
  Failure failure;
  if (!update(path_, {}, initial_, dropped_, failure)) {
    throw Error(failure.code, "--replay-store " + path_ + ": " + failure.message);
  }
}

bool ReplayStore::save(const Positions& positions, std::string& error) {
  Positions on_disk;
  std::vector<std::string> dropped;
  Failure failure;
  if (update(path_, positions, on_disk, dropped, failure)) {
    return true;
  }
  error = "cannot write --replay-store " + path_ + ": " + failure.message;
  return false;
}

}  // namespace cometd
