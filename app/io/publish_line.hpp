// One stdin line of `publish` (or `subscribe -i`) → a publish request, or why it is bad.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "session/pending.hpp"

namespace cometd {

class PublishLineParser {
 public:
  /// With `channel` non-empty each line is the data of one message to it (`publish URL CHANNEL`);
  /// otherwise each line is a request {"channel":…,"data":…[,"id":…][,"ext":{…}]}.
  explicit PublishLineParser(std::string channel = {});
  ~PublishLineParser();
  PublishLineParser(const PublishLineParser&) = delete;
  PublishLineParser& operator=(const PublishLineParser&) = delete;

  /// Parses one line (no line terminator). Returns false with `reason` set when it is bad;
  /// `request.data` and `request.ext` keep their JSON text byte for byte, minified.
  bool parse(std::string_view line, PublishRequest& request, std::string& reason);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string channel_;
};

/// Why `channel` cannot be published to (invalid, wildcard, /meta), or empty.
std::string publish_channel_error(std::string_view channel);

}  // namespace cometd
