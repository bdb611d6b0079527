#include "io/output.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <tuple>

#include "bayeux/channel.hpp"
#include "bayeux/json_out.hpp"
#include "io/pretty.hpp"

namespace cometd {

namespace {

/// How specific `pattern` is, to compare patterns that match the same channel: a channel name
/// beats any wildcard, then the longer prefix wins, then /a/* beats /a/**.
std::tuple<bool, std::size_t, bool> specificity(std::string_view pattern) {
  const bool deep = pattern.size() >= 3 && pattern.substr(pattern.size() - 3) == "/**";
  const bool shallow = !deep && pattern.size() >= 2 && pattern.substr(pattern.size() - 2) == "/*";
  const auto segments = static_cast<std::size_t>(std::count(pattern.begin(), pattern.end(), '/'));
  return {!deep && !shallow, segments, shallow};
}

}  // namespace

std::string_view OutputFormatter::subscription_for(std::string_view channel) const {
  std::string_view best;
  for (const auto& pattern : subscriptions_) {
    if (channel_matches(pattern, channel) &&
        (best.empty() || specificity(pattern) > specificity(best))) {
      best = pattern;
    }
  }
  return best;
}

std::string format_timestamp(std::chrono::system_clock::time_point when) {
  using namespace std::chrono;
  const auto micros = duration_cast<microseconds>(when.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  const auto n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  char frac[16];
  std::snprintf(frac, sizeof frac, ".%06lldZ", static_cast<long long>(micros % 1000000));
  out += frac;
  return out;
}

void OutputFormatter::append(std::string& out, const MessageView& message, std::uint64_t seq,
                             std::chrono::system_clock::time_point now) const {
  switch (format_) {
    case OutputFormat::json:
      append_json(out, message.raw, message.compact);
      break;
    case OutputFormat::data:
      append_json(out, message.data.empty() ? std::string_view("null") : message.data,
                  message.compact);
      break;
    case OutputFormat::envelope: {
      out += "{\"seq\":";
      out += std::to_string(seq);
      out += ",\"ts\":\"";
      out += format_timestamp(now);
      out += "\",\"subscription\":";
      const auto pattern = subscription_for(message.channel);
      if (pattern.empty()) {
        out += "null";
      } else {
        append_json_string(out, pattern);
      }
      out += ",\"message\":";
      append_json(out, message.raw, message.compact);
      out.push_back('}');
      break;
    }
    case OutputFormat::pretty: {
      // The data alone; a message without data (a /meta reply, with --meta) whole.
      const Palette& palette = color_ ? jq_palette() : plain_palette();
      append_pretty_header(out, now, message.channel, subscription_for(message.channel), palette);
      append_pretty_json(out, message.data.empty() ? message.raw : message.data, palette);
      return;  // the JSON ends with its newline
    }
  }
  out.push_back('\n');
}

}  // namespace cometd
