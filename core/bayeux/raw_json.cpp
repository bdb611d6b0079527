#include "bayeux/raw_json.hpp"

#include <simdjson.h>

#include "bayeux/json_out.hpp"

namespace cometd {

namespace od = simdjson::ondemand;

namespace {

/// The exact text of `value` (scalars lose their trailing whitespace).
simdjson::error_code raw_value(od::value value, std::string_view& out) {
  od::json_type type;
  if (auto e = value.type().get(type)) {
    return e;
  }
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto e = value.get_object().get(object)) {
        return e;
      }
      if (auto e = object.raw_json().get(out)) {
        return e;
      }
      break;
    }
    case od::json_type::array: {
      od::array array;
      if (auto e = value.get_array().get(array)) {
        return e;
      }
      if (auto e = array.raw_json().get(out)) {
        return e;
      }
      break;
    }
    default:
      out = value.raw_json_token();
  }
  out = trim_json_whitespace(out);
  return simdjson::SUCCESS;
}

}  // namespace

std::vector<std::string> parse_string_list(std::string_view raw) {
  std::vector<std::string> out;
  if (raw.empty()) {
    return out;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(raw.data(), raw.size()).get(root)) {
    return out;
  }
  std::string_view text;
  simdjson::dom::array array;
  if (root.get_string().get(text) == simdjson::SUCCESS) {
    out.emplace_back(text);
  } else if (root.get_array().get(array) == simdjson::SUCCESS) {
    for (simdjson::dom::element item : array) {
      if (item.get_string().get(text) == simdjson::SUCCESS) {
        out.emplace_back(text);
      }
    }
  }
  return out;
}

std::string_view find_raw_field(std::string_view object, std::string_view key) {
  if (object.empty()) {
    return {};
  }
  simdjson::padded_string padded(object);
  od::parser parser;
  od::document doc;
  od::object obj;
  if (parser.iterate(padded).get(doc) || doc.get_object().get(obj)) {
    return {};
  }
  for (auto field_result : obj) {
    od::field field;
    std::string_view name;
    if (std::move(field_result).get(field) || field.unescaped_key().get(name)) {
      return {};
    }
    if (name == key) {
      std::string_view raw;
      if (raw_value(field.value(), raw)) {
        return {};
      }
      // Map the span from the padded copy back into `object`.
      const auto offset = static_cast<std::size_t>(raw.data() - padded.data());
      return object.substr(offset, raw.size());
    }
  }
  return {};
}

std::string excerpt(std::string_view text, std::size_t max) {
  static constexpr char k_hex[] = "0123456789abcdef";
  std::string out;
  const std::size_t n = text.size() < max ? text.size() : max;
  out.reserve(n + 16);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out.push_back(k_hex[c >> 4]);
      out.push_back(k_hex[c & 0xf]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (text.size() > max) {
    out += "...";
  }
  return out;
}

}  // namespace cometd
