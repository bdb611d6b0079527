// `bench` on the command line: its flags' values into Options::bench (usage errors: 64).
#pragma once

#include "cli/option_parsers.hpp"
#include "cli/options.hpp"

namespace cometd {

void parse_bench(const RawFlags& raw, Options& o);

}  // namespace cometd
