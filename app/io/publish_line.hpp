// One stdin line of `publish` (or `subscribe -i`) → a publish request, or why it is bad.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "session/pending.hpp"

namespace cometd {

class PublishLineParser {
 public:
  /// With `channel` non-empty each line is the data of one message to it (`publish URL CHANNEL`),
  /// or with `raw` its text, sent as a JSON string (`publish URL CHANNEL --raw`); otherwise each
  /// line is a request {"channel":…,"data":…[,"id":…][,"ext":{…}]}.
  explicit PublishLineParser(std::string channel = {}, bool raw = false);
  ~PublishLineParser();
  PublishLineParser(const PublishLineParser&) = delete;
  PublishLineParser& operator=(const PublishLineParser&) = delete;

  /// Parses one line (no line terminator). Returns false with `reason` set when it is bad
  /// (what is known of the request, its channel and id, is kept); `request.data` and
  /// `request.ext` keep their JSON text byte for byte, minified.
  bool parse(std::string_view line, PublishRequest& request, std::string& reason);

 private:
  /// "not JSON: …" with a hint at what the line was probably meant to be.
  std::string not_json(std::string_view line) const;

  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string channel_;
  bool raw_;
};

/// Why `channel` cannot be published to (invalid, wildcard, /meta), or empty.
std::string publish_channel_error(std::string_view channel);

}  // namespace cometd
