#include "commands/publish.hpp"

#include <spdlog/spdlog.h>

namespace cometd {

PublishCommand::PublishCommand(const CommandContext& context, const Options& options)
    : Command(context, options),
      publisher_(context.io, context.out, context.input_fd, options,
                 [this] { end(publisher_.outcome(), publisher_.unpublished_report()); }) {}

void PublishCommand::start() {
  publisher_.attach(*session_);
  session_->start({});
  if (options_.data) {
    publisher_.publish_one();
  } else {
    publisher_.start_reading();
  }
}

void PublishCommand::on_output_closed() {
  if (!options_.acks) {
    return;
  }
  spdlog::info("stdout closed by the reader: no more stdin is read");
  publisher_.output_closed();
}

}  // namespace cometd
