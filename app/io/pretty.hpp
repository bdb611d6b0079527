// -o pretty: received messages for people at a terminal. A header line per message (local
// time, channel, the subscription that matched) and the data as indented JSON, coloured by
// token type with jq's colours.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace cometd {

/// The escape sequences of each kind of token; all empty for no colour.
struct Palette {
  std::string_view null, boolean, number, string, bracket, key, time, channel, subscription,
      reset;
};

/// jq 1.7's default colours (JQ_COLORS 0;90:0;39:0;39:0;39:0;32:1;39:1;39:34;1).
const Palette& jq_palette();
/// No escape sequences at all.
const Palette& plain_palette();

/// Appends `json` (one valid JSON value; its text is kept: numbers, key order and string
/// escapes as received) indented by two spaces a level, then '\n'. Inside strings, DEL, the C1
/// controls and the bidirectional overrides are written as \uNNNN escapes (the same string, to
/// a JSON reader), so that a message cannot drive the terminal. Long strings are never cut.
void append_pretty_json(std::string& out, std::string_view json, const Palette& palette);

/// Appends "HH:MM:SS.mmm CHANNEL[ via SUBSCRIPTION]\n", the time local; SUBSCRIPTION only when
/// it is not the channel itself.
void append_pretty_header(std::string& out, std::chrono::system_clock::time_point when,
                          std::string_view channel, std::string_view subscription,
                          const Palette& palette);

/// HH:MM:SS.mmm in local time.
std::string local_time_millis(std::chrono::system_clock::time_point when);

}  // namespace cometd
