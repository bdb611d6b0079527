// The program as a library function: main() only hands over.
#pragma once

namespace cometd {

/// Parses the command line, runs it, and maps every outcome to an exit code.
int cli_main(int argc, const char* const* argv);

}  // namespace cometd
