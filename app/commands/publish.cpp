#include "commands/publish.hpp"

namespace cometd {

PublishCommand::PublishCommand(const CommandContext& context, const Options& options)
    : Command(context, options),
      publisher_(context.io, context.out, context.input_fd, options,
                 [this] { end(publisher_.outcome()); }) {}

void PublishCommand::start() {
  publisher_.attach(*session_);
  session_->start({});
  if (options_.data) {
    publisher_.publish_one();
  } else {
    publisher_.start_reading();
  }
}

}  // namespace cometd
