// The messages cometd-cli sends, written straight into a reused buffer (PROTOCOL.md §2): one
// function per message, each appending one JSON object; the caller frames the array.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cometd {

/// `/meta/handshake` offering `connection_types` in our order; `ext` is a JSON object or empty.
void write_handshake(std::string& out, std::string_view id,
                     const std::vector<std::string>& connection_types, std::string_view ext);

/// `/meta/connect`; the first one after each handshake asks not to be held
/// (`advice:{"timeout":0}`), or Faye and CometD Node hold it for the full timeout.
void write_connect(std::string& out, std::string_view id, std::string_view client_id,
                   std::string_view connection_type, bool first, std::string_view ext);

/// `/meta/subscribe` (or `meta_channel` /meta/unsubscribe) for `subscription`.
void write_subscribe(std::string& out, std::string_view meta_channel, std::string_view id,
                     std::string_view client_id, std::string_view subscription,
                     std::string_view ext);

/// A publish: `data` is raw JSON, inserted as it is.
void write_publish(std::string& out, std::string_view id, std::string_view channel,
                   std::string_view client_id, std::string_view data, std::string_view ext);

/// `/meta/disconnect`.
void write_disconnect(std::string& out, std::string_view id, std::string_view client_id,
                      std::string_view ext);

/// `,"ext":{…}` when `ext` (a JSON object) is not empty.
void append_ext(std::string& out, std::string_view ext);

/// The members of a raw JSON object, without its braces ("" for none).
std::string_view object_members(std::string_view object);

}  // namespace cometd
