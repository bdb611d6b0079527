// publish URL [CHANNEL [DATA]]: DATA, or each stdin line, published and its reply awaited.
#pragma once

#include "commands/command.hpp"
#include "commands/stdin_publisher.hpp"

namespace cometd {

class PublishCommand final : public Command {
 public:
  PublishCommand(const CommandContext& context, const Options& options);

  void start() override;
  void on_message(const MessageView&) override {}
  void on_publish_result(const PublishResult& result) override {
    publisher_.on_publish_result(result);
  }

 private:
  void stop_inputs() override { publisher_.stop(); }
  /// With --acks: no more stdin, the publishes in flight awaited, the lines left unpublished
  /// told (exit 1 unless there were none). Without, stdout carries nothing: publishing goes on.
  void on_output_closed() override;

  StdinPublisher publisher_;
};

}  // namespace cometd
