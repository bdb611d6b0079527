// Reading single values out of raw JSON text that the reply scanner kept as spans: string
// lists, one member of an object, and an excerpt safe to print.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cometd {

/// The strings of a raw JSON value that is a string or an array of strings (subscription,
/// supportedConnectionTypes); anything else gives an empty list.
std::vector<std::string> parse_string_list(std::string_view raw);

/// The raw JSON text of `key`'s value in the raw JSON object `object`, or empty.
std::string_view find_raw_field(std::string_view object, std::string_view key);

/// The first `max` bytes of `text` for an error message, with control bytes shown as `\xNN`.
std::string excerpt(std::string_view text, std::size_t max = 200);

}  // namespace cometd
