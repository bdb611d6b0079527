// Bayeux channel names: validation, the /meta and /service namespaces, wildcard matching.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace cometd {

/// Why `name` is not a valid channel name, or nullopt when it is. Wildcards (`*`, `**`) are
/// accepted as the whole last segment only.
std::optional<std::string> channel_error(std::string_view name);

/// `/meta/...`: protocol channels; never published to or subscribed to by users.
bool is_meta_channel(std::string_view name);

/// `/service/...`: request/response with the server only.
bool is_service_channel(std::string_view name);

/// `/a/*` or `/a/**`.
bool is_wildcard_channel(std::string_view name);

/// Whether `channel` (a concrete name) matches `pattern` (`/a/b`, `/a/*` one level, `/a/**` any
/// depth below `/a`).
bool channel_matches(std::string_view pattern, std::string_view channel);

}  // namespace cometd
