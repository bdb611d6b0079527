#include "commands/publish.hpp"

namespace cometd {

PublishCommand::PublishCommand(asio::io_context& io, Scheduler& scheduler, LineWriter& writer,
                               const Options& options)
    : Command(io, scheduler, writer, options),
      publisher_(io, writer, options, [this] { end(publisher_.outcome()); }) {}

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
