// Durations as the command line writes them: 500ms, 10s, 2m, 1h, bare seconds.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace cometd {

/// "500ms", "10s", "2m", "1h", "1.5" (bare seconds); nullopt when malformed or negative.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

/// The shortest of those forms that is exact: "10s", "1500ms", "2m".
std::string format_duration(std::chrono::milliseconds duration);

}  // namespace cometd
