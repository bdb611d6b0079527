// Formatting received messages for stdout: -o json | envelope | data (one line each) and
// pretty (several lines each, for people).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "bayeux/message.hpp"

namespace cometd {

enum class OutputFormat { json, envelope, data, pretty };

class OutputFormatter {
 public:
  /// `color`: -o pretty paints its JSON with escape sequences.
  OutputFormatter(OutputFormat format, std::vector<std::string> subscriptions, bool color = false)
      : format_(format), subscriptions_(std::move(subscriptions)), color_(color) {}

  /// Appends one record ('\n' included) for `message` to `out`: one line, or with -o pretty a
  /// header line and the indented data. `seq` counts written records from 1; `now` is the
  /// receive time (envelope, pretty).
  void append(std::string& out, const MessageView& message, std::uint64_t seq,
              std::chrono::system_clock::time_point now) const;

  /// The most specific subscription pattern that matches `channel` (the channel itself, then
  /// the longest prefix, then /a/* before /a/**), or empty.
  std::string_view subscription_for(std::string_view channel) const;

 private:
  OutputFormat format_;
  std::vector<std::string> subscriptions_;
  bool color_ = false;
};

/// RFC 3339 UTC with microseconds: 2026-11-26T03:04:20.123456Z.
std::string format_timestamp(std::chrono::system_clock::time_point when);

}  // namespace cometd
