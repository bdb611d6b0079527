#include "cli/help_format.hpp"

#include "cli/flags.hpp"

namespace cometd {

std::string wrap(const std::string& text, std::size_t width) {
  std::string out;
  std::size_t line = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(' ', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    const std::size_t word = end - start;
    if (line > 0 && line + 1 + word > width) {
      out += '\n';
      line = 0;
    } else if (line > 0) {
      out += ' ';
      ++line;
    }
    out.append(text, start, word);
    line += word;
    start = end + 1;
  }
  return out;
}

std::string HelpFormatter::make_usage(const CLI::App* app, std::string) const {
  if (app->get_parent() == nullptr) {
    return "Usage: cometd-cli [OPTIONS] COMMAND [ARGS]\n";
  }
  for (const auto& command : command_table()) {
    if (command.name == app->get_name()) {
      return "Usage: cometd-cli [OPTIONS] " + std::string(command.name) + " " +
             std::string(command.args) + "\n";
    }
  }
  return {};
}

std::string HelpFormatter::make_option_opts(const CLI::Option* option) const {
  const std::string type = option->get_type_name();
  return type.empty() ? std::string() : " " + type;
}

}  // namespace cometd
