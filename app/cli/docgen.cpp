// cometd-cli-docgen man|bash|zsh|fish|flags: prints the generated man page, a completion
// script, or the flag table ("SCOPE NAME" lines, SCOPE global or a subcommand).
// `cmake --build <dir> --target docs` writes them into man/ and completions/; a test checks
// that the committed files match, so that they never drift from the flag table.
#include <cstdio>
#include <string>

#include "cli/completion.hpp"
#include "cli/flags.hpp"

int main(int argc, char** argv) {
  const std::string what = argc == 2 ? argv[1] : "";
  if (what == "flags") {
    for (const auto& spec : cometd::flag_table()) {
      if ((spec.scopes & cometd::scope::global) != 0) {
        std::printf("global %s\n", std::string(spec.long_name).c_str());
        continue;
      }
      for (const auto& command : cometd::command_table()) {
        if ((spec.scopes & command.scope) != 0) {
          std::printf("%s %s\n", std::string(command.name).c_str(),
                      std::string(spec.long_name).c_str());
        }
      }
    }
    return 0;
  }
  const std::string text = what == "man" ? cometd::man_page() : cometd::completion_script(what);
  if (text.empty()) {
    std::fputs("usage: cometd-cli-docgen man|bash|zsh|fish|flags\n", stderr);
    return 64;
  }
  std::fputs(text.c_str(), stdout);
  return 0;
}
