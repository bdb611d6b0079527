// Why a line is not JSON, in our words and with its column, for the stdin line reports.
#pragma once

#include <string>
#include <string_view>

namespace cometd {

/// The first thing wrong with `text` as one JSON value (RFC 8259), such as "a comma before
/// '}' at column 8" or "'hello' is not a JSON value (column 1)"; empty when `text` is valid.
/// Columns count characters from 1.
std::string describe_json_error(std::string_view text);

/// Whether `text` reads as plain text rather than as broken JSON: it does not start with
/// '{', '[' or '"' (after spaces), so quoting it is the likely fix.
bool looks_like_text(std::string_view text);

}  // namespace cometd
