#include "builtins.hpp"

#include <spdlog/spdlog.h>

#include <cctype>
#include <cerrno>
#include <chrono>

#include "bayeux/channel.hpp"
#include "bayeux/json_out.hpp"

namespace cometd {

namespace {

std::optional<long long> to_integer(std::string_view raw) {
  raw = trim_json_whitespace(raw);
  if (raw.empty()) {
    return std::nullopt;
  }
  const std::string text(raw);
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || errno != 0) {
    return std::nullopt;
  }
  return static_cast<long long>(value);
}

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void add_member(std::string& members, std::string_view key, std::string_view value) {
  if (!members.empty()) {
    members += ',';
  }
  append_json_string(members, key);
  members += ':';
  members += value;
}

bool contains_icase(std::string_view text, std::string_view word) {
  for (std::size_t i = 0; i + word.size() <= text.size(); ++i) {
    bool match = true;
    for (std::size_t j = 0; j < word.size() && match; ++j) {
      match = std::tolower(static_cast<unsigned char>(text[i + j])) ==
              std::tolower(static_cast<unsigned char>(word[j]));
    }
    if (match) {
      return true;
    }
  }
  return false;
}

/// data.event.replayId of a delivery, as its JSON text (any JSON value), or empty.
std::string_view raw_replay_id(const MessageView& message) {
  const std::string_view event = find_raw_field(message.data, "event");
  return event.empty() ? std::string_view{}
                       : trim_json_whitespace(find_raw_field(event, "replayId"));
}

bool is_replay_error(std::string_view error) {
  return contains_icase(error, "replayid") || contains_icase(error, "replay id");
}

}  // namespace

// --- ack -------------------------------------------------------------------------------------

void AckExtension::outgoing(const OutgoingMessage& message, std::string& ext_members) {
  if (message.channel == "/meta/handshake") {
    add_member(ext_members, "ack", "true");
  } else if (message.channel == "/meta/connect" && enabled_) {
    add_member(ext_members, "ack", std::to_string(acked_));
  }
}

void AckExtension::incoming(const MessageView& message) {
  if (message.channel == "/meta/handshake" && message.successful && *message.successful) {
    const std::string_view ack = trim_json_whitespace(find_raw_field(message.ext, "ack"));
    enabled_ = false;
    received_ = acked_ = 0;
    if (ack == "true") {
      enabled_ = true;
    } else if (!ack.empty() && ack.front() == '{') {
      enabled_ = trim_json_whitespace(find_raw_field(ack, "enabled")) == "true";
      if (auto batch = to_integer(find_raw_field(ack, "batch"))) {
        received_ = acked_ = *batch;
      }
    }
    if (enabled_) {
      spdlog::info("the server acknowledges deliveries (ack extension)");
    } else if (!warned_) {
      // The user asked for "no message lost": that it cannot take effect is a warning
      // (INTERFACE.md, Diagnostics), once, not at every re-handshake.
      warned_ = true;
      spdlog::warn("--ext ack: the server does not support the ack extension; messages sent "
                   "while reconnecting may be lost");
    }
  } else if (message.channel == "/meta/connect" && enabled_ && message.successful &&
             *message.successful) {
    if (auto batch = to_integer(find_raw_field(message.ext, "ack"))) {
      received_ = *batch;
    }
  }
}

// --- timesync --------------------------------------------------------------------------------

void TimesyncExtension::outgoing(const OutgoingMessage& message, std::string& ext_members) {
  if (!is_meta_channel(message.channel)) {
    return;
  }
  std::string value = "{\"tc\":" + std::to_string(now_ms()) + ",\"l\":" + std::to_string(lag_) +
                      ",\"o\":" + std::to_string(offset_) + "}";
  add_member(ext_members, "timesync", value);
}

void TimesyncExtension::incoming(const MessageView& message) {
  if (message.ext.empty() || !is_meta_channel(message.channel)) {
    return;
  }
  const std::string_view sync = find_raw_field(message.ext, "timesync");
  if (sync.empty()) {
    return;
  }
  const auto tc = to_integer(find_raw_field(sync, "tc"));
  const auto ts = to_integer(find_raw_field(sync, "ts"));
  const auto p = to_integer(find_raw_field(sync, "p"));
  if (!tc || !ts) {
    return;
  }
  // PROTOCOL.md §13: lag = (now - tc - p) / 2, offset = ts - tc - lag.
  const long long lag = (now_ms() - *tc - p.value_or(0)) / 2;
  const long long offset = *ts - *tc - lag;
  samples_.emplace_back(lag, offset);
  if (samples_.size() > 10) {
    samples_.pop_front();
  }
  long long lags = 0;
  long long offsets = 0;
  for (const auto& [l, o] : samples_) {
    lags += l;
    offsets += o;
  }
  lag_ = lags / static_cast<long long>(samples_.size());
  offset_ = offsets / static_cast<long long>(samples_.size());
  if (!reported_) {
    reported_ = true;
    spdlog::info("server clock offset {} ms, network lag {} ms (timesync)", offset_, lag_);
  }
}

std::optional<long long> TimesyncExtension::offset_ms() const {
  if (samples_.empty()) {
    return std::nullopt;
  }
  return offset_;
}

// --- replay ----------------------------------------------------------------------------------

ReplayExtension::ReplayExtension(ReplayOptions options) : options_(std::move(options)) {
  if (options_.store.empty()) {
    return;
  }
  store_.emplace(options_.store);
  stored_ = store_->initial();
  for (const auto& channel : store_->dropped()) {
    spdlog::warn("--replay-store {}: the position of {} is not an integer or a short string; "
                 "it starts from {}, and events may have been missed",
                 options_.store, channel, options_.from);
  }
  spdlog::info("replay positions from {}: {} channel(s)", options_.store, stored_.size());
}

std::string ReplayExtension::position(const std::string& channel) const {
  for (const auto* map : {&fallback_, &received_, &stored_}) {
    if (auto it = map->find(channel); it != map->end()) {
      return it->second;
    }
  }
  return options_.from;
}

void ReplayExtension::outgoing(const OutgoingMessage& message, std::string& ext_members) {
  if (message.channel == "/meta/handshake") {
    add_member(ext_members, "replay", "true");
  } else if (message.channel == "/meta/subscribe") {
    const std::string channel(message.subscription);
    const std::string pos = position(channel);
    sent_[channel] = pos;
    std::string value = "{";
    append_json_string(value, channel);
    value += ':';
    value += pos;
    value += '}';
    add_member(ext_members, "replay", value);
  }
}

std::string ReplayExtension::replay_id(const MessageView& message) {
  const std::string_view id = raw_replay_id(message);
  return is_replay_position(id) ? std::string(id) : std::string();
}

void ReplayExtension::incoming(const MessageView& message) {
  if (message.channel == "/meta/handshake") {
    if (message.successful && *message.successful && !confirmed_warned_ &&
        trim_json_whitespace(find_raw_field(message.ext, "replay")) != "true") {
      confirmed_warned_ = true;
      spdlog::warn("the server did not confirm the replay extension; replay positions may be "
                   "ignored");
    }
    return;
  }
  if (message.is_reply() || is_meta_channel(message.channel)) {
    return;
  }
  const std::string_view id = raw_replay_id(message);
  const std::string channel(message.channel);
  if (id.empty() || sent_.count(channel) == 0) {
    return;  // positions are kept for the channels subscribed to, and only those
  }
  if (!is_replay_position(id)) {
    // Anyone who may publish on the channel can send this: storing it would make every later
    // run send it back. The last valid position stays (at worst, duplicates after a restart).
    if (warned_.insert(channel).second) {
      spdlog::warn("ignoring the replay id {} of a message on {}: not an integer or a string of "
                   "at most 256 bytes",
                   id.substr(0, 40), channel);
    }
    return;
  }
  fallback_.erase(channel);
  received_[channel] = std::string(id);
}

bool ReplayExtension::retry_subscription(std::string_view subscription, std::string_view error) {
  if (!is_replay_error(error)) {
    return false;
  }
  const std::string channel(subscription);
  const std::string used = sent_.count(channel) ? sent_[channel] : options_.from;
  const bool explicit_from = options_.from_given && used == options_.from;
  if (explicit_from || used == "-1" || used == "-2" || fallback_.count(channel)) {
    return false;  // the user's own position, or the fallback: nothing better to try
  }
  const std::string next = options_.from;
  spdlog::warn("the replay id {} of {} was refused ({}); events after it may have been missed; "
               "subscribing again from {}",
               used, channel, error, next);
  fallback_[channel] = next;
  received_.erase(channel);
  return true;
}

std::string ReplayExtension::explain_failure(std::string_view, std::string_view error) {
  if (!is_replay_error(error)) {
    return {};
  }
  return " (use --replay-from -2 to replay every retained event, or -1 for new events only)";
}

void ReplayExtension::written(const std::string& channel, const std::string& id) {
  if (sent_.count(channel) == 0 || !is_replay_position(id)) {
    return;
  }
  written_[channel] = id;
  dirty_ = true;
}

bool ReplayExtension::save(std::string& error) {
  if (!dirty_ || !store_) {
    return true;
  }
  if (!store_->save(written_, error)) {
    return false;
  }
  dirty_ = false;
  return true;
}

std::unique_ptr<MessageExtension> make_builtin(const std::string& name,
                                               const ReplayOptions& replay) {
  if (name == "ack") {
    return std::make_unique<AckExtension>();
  }
  if (name == "timesync") {
    return std::make_unique<TimesyncExtension>();
  }
  if (name == "replay") {
    return std::make_unique<ReplayExtension>(replay);
  }
  return nullptr;
}

}  // namespace cometd
