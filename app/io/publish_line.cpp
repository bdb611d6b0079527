#include "io/publish_line.hpp"

#include <simdjson.h>

#include "bayeux/channel.hpp"
#include "bayeux/json_check.hpp"
#include "bayeux/json_out.hpp"
#include "io/json_diagnosis.hpp"

namespace cometd {

namespace od = simdjson::ondemand;

struct PublishLineParser::Impl {
  JsonValidator validator;
  od::parser parser;
  std::string buffer;  // the line with simdjson's padding
};

PublishLineParser::PublishLineParser(std::string channel, bool raw)
    : impl_(std::make_unique<Impl>()), channel_(std::move(channel)), raw_(raw) {}
PublishLineParser::~PublishLineParser() = default;

std::string publish_channel_error(std::string_view channel) {
  if (auto error = channel_error(channel)) {
    return "invalid channel \"" + std::string(channel) + "\": " + *error;
  }
  if (is_wildcard_channel(channel)) {
    return "cannot publish to the wildcard channel " + std::string(channel);
  }
  if (is_meta_channel(channel)) {
    return "cannot publish to the meta channel " + std::string(channel);
  }
  return {};
}

namespace {

/// The exact text of `value`, which must be consumed by no one else.
bool raw_value(od::value value, std::string_view& out) {
  od::json_type type;
  if (value.type().get(type)) {
    return false;
  }
  if (type == od::json_type::object) {
    od::object object;
    if (value.get_object().get(object) || object.raw_json().get(out)) {
      return false;
    }
  } else if (type == od::json_type::array) {
    od::array array;
    if (value.get_array().get(array) || array.raw_json().get(out)) {
      return false;
    }
  } else {
    out = value.raw_json_token();
  }
  out = trim_json_whitespace(out);
  return true;
}

}  // namespace

std::string PublishLineParser::not_json(std::string_view line) const {
  std::string why = describe_json_error(line);
  if (why.empty()) {
    why = "not valid JSON";  // the scanner and simdjson disagree: say no more than we know
  }
  std::string reason = "not JSON: " + why;
  if (looks_like_text(line)) {
    reason += channel_.empty()
                  ? "; each line is a request such as {\"channel\":\"/a\",\"data\":\"text\"}"
                  : "; quote a JSON string as '\"text\"', or publish text as it is with --raw";
  }
  return reason;
}

bool PublishLineParser::parse(std::string_view line, PublishRequest& request,
                              std::string& reason) {
  request = PublishRequest{};
  request.channel = channel_;
  if (raw_) {
    if (!simdjson::validate_utf8(line.data(), line.size())) {
      reason = "--raw sends text: " + describe_json_error(line);
      return false;
    }
    append_json_string(request.data, line);
    return true;
  }
  std::string& buffer = impl_->buffer;
  buffer.assign(line);
  buffer.reserve(line.size() + simdjson::SIMDJSON_PADDING);
  std::string why;
  if (!impl_->validator.validate(buffer, why)) {
    reason = not_json(line);
    return false;
  }
  if (!channel_.empty()) {
    append_minified(request.data, trim_json_whitespace(line));
    return true;
  }
  // Validated: on-demand now only locates the raw spans.
  od::document doc;
  od::object object;
  od::json_type root_type;
  if (impl_->parser.iterate(buffer.data(), buffer.size(), buffer.capacity()).get(doc) ||
      doc.type().get(root_type) || root_type != od::json_type::object ||
      doc.get_object().get(object)) {
    reason = "not a JSON object; expected {\"channel\":…,\"data\":…}";
    return false;
  }
  bool has_channel = false;
  bool has_data = false;
  for (auto field_result : object) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
      reason = "unreadable object";
      return false;
    }
    od::value value = field.value();
    if (key == "channel") {
      std::string_view channel;
      if (value.get_string().get(channel)) {
        reason = "\"channel\" is not a string";
        return false;
      }
      request.channel.assign(channel);
      has_channel = true;
    } else if (key == "data") {
      std::string_view raw;
      if (!raw_value(value, raw)) {
        reason = "unreadable \"data\"";
        return false;
      }
      request.data.clear();
      append_minified(request.data, raw);
      has_data = true;
    } else if (key == "id") {
      od::json_type type;
      if (value.type().get(type)) {
        reason = "unreadable \"id\"";
        return false;
      }
      if (type == od::json_type::string) {
        std::string_view id;
        if (value.get_string().get(id)) {
          reason = "unreadable \"id\"";
          return false;
        }
        request.id.assign(id);
      } else if (type == od::json_type::number) {
        request.id.assign(trim_json_whitespace(value.raw_json_token()));
      } else if (type != od::json_type::null) {
        reason = "\"id\" is not a string";
        return false;
      }
    } else if (key == "ext") {
      od::json_type type;
      std::string_view raw;
      if (value.type().get(type) || type != od::json_type::object || !raw_value(value, raw)) {
        reason = "\"ext\" is not an object";
        return false;
      }
      request.ext.clear();
      append_minified(request.ext, raw);
    }
  }
  if (!has_channel) {
    reason = "no \"channel\"";
    return false;
  }
  if (!has_data) {
    reason = "no \"data\"";
    return false;
  }
  reason = publish_channel_error(request.channel);
  return reason.empty();
}

}  // namespace cometd
