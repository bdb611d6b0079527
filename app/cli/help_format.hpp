// --help as cometd-cli(1) shows it, from CLI11's formatter.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace cometd {

/// Help text wrapped for a terminal; CLI11 indents the continuation lines.
std::string wrap(const std::string& text, std::size_t width = 68);

/// --help as cometd-cli(1) shows it: "cometd-cli [OPTIONS] subscribe URL CHANNEL...", values
/// by name, no CLI11 "..." markers, the arguments in the usage line.
class HelpFormatter final : public CLI::Formatter {
 public:
  std::string make_usage(const CLI::App* app, std::string name) const override;
  std::string make_positionals(const CLI::App*) const override { return {}; }
  std::string make_option_opts(const CLI::Option* option) const override;
};

}  // namespace cometd
