// cometd-cli: the executable is the library plus this main().
#include "cli/cli_main.hpp"

int main(int argc, char** argv) { return cometd::cli_main(argc, argv); }
