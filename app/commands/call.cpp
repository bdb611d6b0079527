#include "commands/call.hpp"

#include <asio/io_context.hpp>
#include <cstring>

#include "bayeux/json_out.hpp"
#include "commands/stdin_publisher.hpp"
#include "duration.hpp"
#include "io/publish_line.hpp"

namespace cometd {

CallCommand::CallCommand(const CommandContext& context, const Options& options)
    : Command(context, options), duration_timer_(context.scheduler) {}

void CallCommand::start() {
  if (options_.duration) {  // else (--duration 0) as long as it takes
    duration_timer_.arm(*options_.duration, [this] {
      end(ExitCode::timed_out,
          "no reply on " + options_.channel + " within " + format_duration(*options_.duration));
    });
  }
  session_->start({});
  if (options_.data) {
    send(*options_.data);
    return;
  }
  reader_ = start_stdin(io_, input_fd_, [this](std::string chunk, bool eof, int error) {
    on_stdin(std::move(chunk), eof, error);
  });
}

void CallCommand::on_stdin(std::string chunk, bool eof, int error) {
  if (ending()) {
    return;
  }
  if (error != 0) {
    end(ExitCode::io_error, std::string("cannot read stdin: ") + std::strerror(error));
    return;
  }
  if (!eof) {
    input_ += chunk;
    if (input_.size() > LineSplitter::k_default_max_line) {
      end(ExitCode::bad_input, "stdin: the request data is over 1 MiB");
      return;
    }
    reader_->grant();
    return;
  }
  PublishLineParser parser(options_.channel);
  PublishRequest request;
  std::string reason;
  if (!parser.parse(input_, request, reason)) {
    end(ExitCode::bad_input, "stdin: the request data is " + reason);
    return;
  }
  send(std::move(request.data));
}

void CallCommand::send(std::string data) {
  PublishRequest request;
  request.channel = options_.channel;
  request.data = std::move(data);
  request.ticket = 1;
  session_->publish(std::move(request));
}

void CallCommand::on_publish_result(const PublishResult& result) {
  if (!result.successful) {
    end(result.auth ? ExitCode::auth : ExitCode::failure,
        "call " + result.channel + " failed: " + result.error);
  }
  // Accepted: the answer comes as a message on the same channel.
}

void CallCommand::on_message(const MessageView& message) {
  if (ending() || message.channel != options_.channel || !message.has_data()) {
    return;
  }
  line_.clear();
  append_minified(line_, message.raw);
  line_ += '\n';
  out_.write(line_, 1);
  end(ExitCode::ok);
}

}  // namespace cometd
