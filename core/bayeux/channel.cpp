#include "bayeux/channel.hpp"

namespace cometd {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<std::string> channel_error(std::string_view name) {
  if (name.empty()) {
    return "empty channel name";
  }
  if (name.front() != '/') {
    return "channel must start with '/'";
  }
  if (name.size() == 1) {
    return "channel '/' has no segment";
  }
  std::string_view rest = name.substr(1);
  while (true) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    const bool last = slash == std::string_view::npos;
    if (segment.empty()) {
      return "empty segment in channel";
    }
    for (const char c : segment) {
      const auto u = static_cast<unsigned char>(c);
      if (u <= 0x20 || u == 0x7f) {
        return "whitespace or control character in channel";
      }
    }
    if (segment.find('*') != std::string_view::npos) {
      if (!last) {
        return "wildcard allowed only as the last segment";
      }
      if (segment != "*" && segment != "**") {
        return "wildcard segment must be '*' or '**'";
      }
    }
    if (last) {
      return std::nullopt;
    }
    rest = rest.substr(slash + 1);
  }
}

bool is_meta_channel(std::string_view name) {
  return name == "/meta" || starts_with(name, "/meta/");
}

bool is_service_channel(std::string_view name) {
  return name == "/service" || starts_with(name, "/service/");
}

bool is_wildcard_channel(std::string_view name) {
  return ends_with(name, "/*") || ends_with(name, "/**");
}

bool channel_matches(std::string_view pattern, std::string_view channel) {
  if (ends_with(pattern, "/**")) {
    const std::string_view base = pattern.substr(0, pattern.size() - 2);  // keeps the '/'
    return channel.size() > base.size() && starts_with(channel, base);
  }
  if (ends_with(pattern, "/*")) {
    const std::string_view base = pattern.substr(0, pattern.size() - 1);
    return channel.size() > base.size() && starts_with(channel, base) &&
           channel.find('/', base.size()) == std::string_view::npos;
  }
  return pattern == channel;
}

}  // namespace cometd
