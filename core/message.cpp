#include "message.hpp"

#include <simdjson.h>

#include "json_check.hpp"
#include "json_out.hpp"

namespace cometd {

namespace od = simdjson::ondemand;

struct BatchParser::Impl {
  JsonValidator validator;  // full validation: on-demand skips what it is not asked for
  od::parser parser;
};

BatchParser::BatchParser() : impl_(std::make_unique<Impl>()) {}
BatchParser::~BatchParser() = default;

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

std::optional<std::int64_t> advice_millis(od::value value) {
  // Servers send integers; accept a JSON double too (some send 2000.0), truncating it.
  double number = 0;
  if (value.get_double().get(number) != simdjson::SUCCESS) {
    return std::nullopt;
  }
  if (number > 9.0e15) {
    number = 9.0e15;
  }
  if (number < -9.0e15) {
    number = -9.0e15;
  }
  return static_cast<std::int64_t>(number);
}

void parse_advice(od::object object, AdviceFields& out, AdviceFields* long_polling,
                  AdviceFields* websocket) {
  out.present = true;
  for (auto field_result : object) {
    od::field field;
    std::string_view key;
    if (std::move(field_result).get(field) || field.unescaped_key().get(key)) {
      return;
    }
    od::value value = field.value();
    if (key == "reconnect") {
      std::string_view text;
      if (value.get_string().get(text) == simdjson::SUCCESS) {
        if (text == "retry") {
          out.reconnect = Reconnect::retry;
        } else if (text == "handshake") {
          out.reconnect = Reconnect::handshake;
        } else if (text == "none") {
          out.reconnect = Reconnect::none;
        }
      }
    } else if (key == "interval") {
      out.interval_ms = advice_millis(value);
    } else if (key == "timeout") {
      out.timeout_ms = advice_millis(value);
    } else if (key == "maxInterval") {
      out.max_interval_ms = advice_millis(value);
    } else if (key == "multiple-clients") {
      bool flag = false;
      out.multiple_clients = value.get_bool().get(flag) == simdjson::SUCCESS && flag;
    } else if (long_polling != nullptr && (key == "long-polling" || key == "websocket")) {
      od::object nested;
      if (value.get_object().get(nested) == simdjson::SUCCESS) {
        parse_advice(nested, key == "websocket" ? *websocket : *long_polling, nullptr, nullptr);
      }
    }
  }
}

/// Fills `m` from the fields of `object`; a field of the wrong type sets `m.problem`.
simdjson::error_code parse_message(od::object object, MessageView& m) {
  for (auto field_result : object) {
    od::field field;
    if (auto e = std::move(field_result).get(field)) {
      return e;
    }
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) {
      return e;
    }
    od::value value = field.value();
    if (key == "channel") {
      if (value.get_string().get(m.channel)) {
        m.problem = "\"channel\" is not a string";
      }
    } else if (key == "data") {
      if (auto e = raw_value(value, m.data)) {
        return e;
      }
    } else if (key == "id") {
      od::json_type type;
      if (auto e = value.type().get(type)) {
        return e;
      }
      if (type == od::json_type::string) {
        if (auto e = value.get_string().get(m.id)) {
          return e;
        }
      } else if (type == od::json_type::number) {
        m.id = trim_json_whitespace(value.raw_json_token());
      }
    } else if (key == "successful") {
      bool flag = false;
      if (value.get_bool().get(flag) == simdjson::SUCCESS) {
        m.successful = flag;
      } else {
        m.problem = "\"successful\" is not a boolean";
      }
    } else if (key == "clientId") {
      if (value.get_string().get(m.client_id)) {
        m.client_id = {};
      }
    } else if (key == "error") {
      if (value.get_string().get(m.error)) {
        if (auto e = raw_value(value, m.error)) {
          return e;
        }
      }
    } else if (key == "advice") {
      od::object advice;
      if (value.get_object().get(advice) == simdjson::SUCCESS) {
        parse_advice(advice, m.advice, &m.advice_long_polling, &m.advice_websocket);
      }
    } else if (key == "ext") {
      if (auto e = raw_value(value, m.ext)) {
        return e;
      }
    } else if (key == "subscription") {
      if (auto e = raw_value(value, m.subscription)) {
        return e;
      }
    } else if (key == "supportedConnectionTypes") {
      if (auto e = raw_value(value, m.supported_connection_types)) {
        return e;
      }
    }
  }
  if (m.channel.empty() && m.problem.empty()) {
    m.problem = "message without \"channel\"";
  }
  return simdjson::SUCCESS;
}

}  // namespace

bool BatchParser::parse(std::string& body) {
  messages_.clear();
  error_.clear();
  const std::size_t size = body.size();
  if (body.capacity() < size + simdjson::SIMDJSON_PADDING) {
    body.reserve(size + simdjson::SIMDJSON_PADDING);
  }
  std::string why;
  if (!impl_->validator.validate(std::string_view(body.data(), size), why)) {
    error_ = "invalid JSON (" + why + ")";
    return false;
  }
  // Valid JSON: the on-demand pass below meets no syntax error, only the wrong shapes.
  od::document doc;
  od::array array;
  auto fail = [this](simdjson::error_code e) {
    messages_.clear();
    error_ = std::string("unreadable reply (") + simdjson::error_message(e) + ")";
    return false;
  };
  if (auto e = impl_->parser.iterate(body.data(), size, body.capacity()).get(doc)) {
    return fail(e);
  }
  od::json_type root_type;
  if (auto e = doc.type().get(root_type)) {
    return fail(e);
  }
  if (root_type != od::json_type::array) {
    error_ = "not a JSON array of messages";
    return false;
  }
  if (auto e = doc.get_array().get(array)) {
    return fail(e);
  }
  for (auto element : array) {
    od::value value;
    od::json_type type;
    if (auto e = std::move(element).get(value)) {
      return fail(e);
    }
    if (auto e = value.type().get(type)) {
      return fail(e);
    }
    if (type != od::json_type::object) {
      messages_.clear();
      error_ = "an element of the array is not a message object";
      return false;
    }
    od::object object;
    if (auto e = value.get_object().get(object)) {
      return fail(e);
    }
    MessageView& m = messages_.emplace_back();
    if (auto e = object.raw_json().get(m.raw)) {
      return fail(e);
    }
    m.raw = trim_json_whitespace(m.raw);
    if (auto e = object.reset().error()) {
      return fail(e);
    }
    if (auto e = parse_message(object, m)) {
      return fail(e);
    }
  }
  return true;
}

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
