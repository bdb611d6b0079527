// call URL /service/CHANNEL [DATA]: a request to a service channel and its reply.
#pragma once

#include <memory>
#include <string>

#include "commands/command.hpp"
#include "io/stdin_lines.hpp"

namespace cometd {

/// call URL /service/CHANNEL [DATA]: publish, then the first message back on that channel.
class CallCommand final : public Command {
 public:
  CallCommand(const CommandContext& context, const Options& options);

  void start() override;
  void on_message(const MessageView& message) override;
  void on_publish_result(const PublishResult& result) override;

 private:
  void send(std::string data);
  void on_stdin(std::string chunk, bool eof, int error);

  Timer duration_timer_;
  std::unique_ptr<StdinReader> reader_;
  std::string input_;  // all of stdin, when DATA is not given
  std::string line_;
};

}  // namespace cometd
