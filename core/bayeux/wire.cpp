#include "bayeux/wire.hpp"

#include "bayeux/json_out.hpp"

namespace cometd {

namespace {

/// `{"id":ID,"channel":CHANNEL` (CHANNEL a known, plain literal)
void open_message(std::string& out, std::string_view id, std::string_view channel) {
  out += "{\"id\":";
  append_json_string(out, id);
  out += ",\"channel\":";
  append_json_string(out, channel);
}

void append_client_id(std::string& out, std::string_view client_id) {
  out += ",\"clientId\":";
  append_json_string(out, client_id);
}

}  // namespace

void append_ext(std::string& out, std::string_view ext) {
  if (!ext.empty()) {
    out += ",\"ext\":";
    out += ext;
  }
}

std::string_view object_members(std::string_view object) {
  object = trim_json_whitespace(object);
  if (object.size() < 2 || object.front() != '{') {
    return {};
  }
  return trim_json_whitespace(object.substr(1, object.size() - 2));
}

void write_handshake(std::string& out, std::string_view id,
                     const std::vector<std::string>& connection_types, std::string_view ext) {
  open_message(out, id, "/meta/handshake");
  out += ",\"version\":\"1.0\",\"minimumVersion\":\"1.0\",\"supportedConnectionTypes\":[";
  for (std::size_t i = 0; i < connection_types.size(); ++i) {
    if (i > 0) {
      out.push_back(',');
    }
    append_json_string(out, connection_types[i]);
  }
  out += "],\"advice\":{\"timeout\":60000,\"interval\":0}";
  append_ext(out, ext);
  out.push_back('}');
}

void write_connect(std::string& out, std::string_view id, std::string_view client_id,
                   std::string_view connection_type, bool first, std::string_view ext) {
  open_message(out, id, "/meta/connect");
  append_client_id(out, client_id);
  out += ",\"connectionType\":";
  append_json_string(out, connection_type);
  if (first) {
    out += ",\"advice\":{\"timeout\":0}";
  }
  append_ext(out, ext);
  out.push_back('}');
}

void write_subscribe(std::string& out, std::string_view meta_channel, std::string_view id,
                     std::string_view client_id, std::string_view subscription,
                     std::string_view ext) {
  open_message(out, id, meta_channel);
  append_client_id(out, client_id);
  out += ",\"subscription\":";
  append_json_string(out, subscription);
  append_ext(out, ext);
  out.push_back('}');
}

void write_publish(std::string& out, std::string_view id, std::string_view channel,
                   std::string_view client_id, std::string_view data, std::string_view ext) {
  open_message(out, id, channel);
  append_client_id(out, client_id);
  out += ",\"data\":";
  out += data;
  append_ext(out, ext);
  out.push_back('}');
}

void write_disconnect(std::string& out, std::string_view id, std::string_view client_id,
                      std::string_view ext) {
  open_message(out, id, "/meta/disconnect");
  append_client_id(out, client_id);
  append_ext(out, ext);
  out.push_back('}');
}

}  // namespace cometd
