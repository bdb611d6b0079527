#include "commands/stdin_publisher.hpp"

#include <spdlog/spdlog.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <cstring>

#include "bayeux/json_out.hpp"

namespace cometd {

std::unique_ptr<StdinReader> start_stdin(asio::io_context& io, int fd,
                                         StdinReader::Deliver on_chunk) {
  auto reader = std::make_unique<StdinReader>(
      fd,
      [&io, on_chunk = std::move(on_chunk)](std::string chunk, bool eof, int error) {
        asio::post(io, [on_chunk, chunk = std::move(chunk), eof, error]() mutable {
          on_chunk(std::move(chunk), eof, error);
        });
      },
      &io);
  reader->start();
  return reader;
}

StdinPublisher::StdinPublisher(asio::io_context& io, LineSink& out, int input_fd,
                               const Options& options, std::function<void()> done)
    : io_(io),
      out_(out),
      input_fd_(input_fd),
      options_(options),
      done_(std::move(done)),
      parser_(options.command == Options::Command::publish ? options.channel : std::string(),
              options.raw) {}

void StdinPublisher::start_reading() {
  reader_ = start_stdin(io_, input_fd_, [this](std::string chunk, bool eof, int error) {
    on_stdin(std::move(chunk), eof, error);
  });
}

void StdinPublisher::publish_one() {
  PublishRequest request;
  request.channel = options_.channel;
  request.data = *options_.data;
  request.ticket = 1;
  if (options_.acks) {
    record_order_.push_back(1);
  }
  waiting_.push_back(std::move(request));
  eof_ = true;
  input_ended_ = true;  // the command line is all the input there is
  pump();
}

void StdinPublisher::stop() {
  stopped_ = true;
  stop_reading();
}

void StdinPublisher::stop_reading() {
  eof_ = true;
  if (reader_) {
    reader_->stop();
  }
}

void StdinPublisher::on_stdin(std::string chunk, bool eof, int error) {
  if (stopped_ || eof_) {
    return;
  }
  const auto sink = [this](std::uint64_t number, std::string_view line, bool too_long) {
    on_line(number, line, too_long);
  };
  if (error != 0) {
    spdlog::error("cannot read stdin: {}", std::strerror(error));
    ++bad_lines_;
    eof_ = true;
  } else if (eof) {
    splitter_.finish(sink);
    eof_ = true;
    input_ended_ = true;
  } else {
    splitter_.feed(chunk, sink);
    reader_waiting_ = true;
  }
  pump();
}

void StdinPublisher::on_line(std::uint64_t number, std::string_view line, bool too_long) {
  if (eof_) {
    return;  // --on-error abort: nothing after the bad line
  }
  if (options_.acks) {
    record_order_.push_back(number);
  }
  PublishRequest request;
  if (too_long) {
    request.channel = options_.channel;
    bad_line(number, request,
             "line over 1 MiB (" + std::to_string(splitter_.max_line()) + " bytes)");
    return;
  }
  std::string reason;
  if (!parser_.parse(line, request, reason)) {
    bad_line(number, request, reason);
    return;
  }
  request.ticket = number;
  waiting_.push_back(std::move(request));
}

void StdinPublisher::bad_line(std::uint64_t number, const PublishRequest& request,
                              const std::string& reason) {
  spdlog::error("stdin:{}: {}", number, reason);
  ++bad_lines_;
  if (options_.acks) {
    add_record(number, request.channel, request.id, false, reason);
  }
  if (options_.abort_on_error) {
    eof_ = true;  // publish what came before, then stop
    if (reader_) {
      reader_->stop();
    }
  }
}

void StdinPublisher::pump() {
  if (stopped_) {
    return;
  }
  while (!waiting_.empty() && inflight_ < options_.max_inflight) {
    ++inflight_;
    session_->publish(std::move(waiting_.front()));
    waiting_.pop_front();
  }
  if (!eof_ && reader_waiting_ && waiting_.empty() && inflight_ < options_.max_inflight) {
    reader_waiting_ = false;
    reader_->grant();
  }
  if (inflight_ == 0 && when_idle_) {
    auto fn = std::move(when_idle_);
    when_idle_ = nullptr;
    fn();
  }
  if (eof_ && waiting_.empty() && inflight_ == 0 && done_) {
    auto done = std::move(done_);
    done_ = nullptr;
    done();
  }
}

void StdinPublisher::when_idle(std::function<void()> fn) {
  if (idle()) {
    fn();
    return;
  }
  when_idle_ = std::move(fn);
}

void StdinPublisher::output_closed() {
  if (stopped_ || dropped_given_) {
    return;
  }
  dropped_given_ = true;
  stop_reading();
  dropped_ = waiting_.size();
  waiting_.clear();
  records_.clear();
  record_order_.clear();
  pump();
}

std::string StdinPublisher::unpublished_report() const {
  if (!dropped_given_ || (dropped_ == 0 && input_ended_)) {
    return {};
  }
  if (dropped_ == 0) {
    return "stdout is closed: the rest of stdin was not read, nor published";
  }
  return "stdout is closed: " + std::to_string(dropped_) + " stdin line" +
         (dropped_ == 1 ? " was" : "s were") + " not published" +
         (input_ended_ ? "" : ", nor the rest of stdin (not read)");
}

ExitCode StdinPublisher::outcome() const {
  if (!unpublished_report().empty()) {
    return ExitCode::failure;
  }
  if (rejected_auth_ > 0) {
    return ExitCode::auth;
  }
  if (rejected_ > 0) {
    return ExitCode::failure;
  }
  return bad_lines_ > 0 ? ExitCode::bad_input : ExitCode::ok;
}

void StdinPublisher::on_publish_result(const PublishResult& result) {
  if (stopped_) {
    return;
  }
  --inflight_;
  if (options_.acks) {
    add_record(result.ticket, result.channel, result.id, result.successful, result.error);
  }
  if (!result.successful) {
    ++rejected_;
    rejected_auth_ += result.auth ? 1 : 0;
    if (options_.data) {
      spdlog::error("publish to {} failed: {}", result.channel, result.error);
    } else {
      spdlog::error("stdin:{}: publish to {} failed: {}", result.ticket, result.channel,
                    result.error);
    }
  }
  pump();
}

void StdinPublisher::add_record(std::uint64_t ticket, std::string_view channel,
                                std::string_view id, bool successful, std::string_view error) {
  std::string& record = records_[ticket];
  record += "{\"line\":";
  record += std::to_string(ticket);
  record += ",\"channel\":";
  if (channel.empty()) {
    record += "null";  // a bad line whose channel is unknown
  } else {
    append_json_string(record, channel);
  }
  record += ",\"id\":";
  if (id.empty()) {
    record += "null";
  } else {
    append_json_string(record, id);
  }
  record += successful ? ",\"successful\":true" : ",\"successful\":false";
  if (!successful) {
    record += ",\"error\":";
    append_json_string(record, error);
  }
  record += "}\n";
  // Replies may come in any order; records go out in line order.
  acks_.clear();
  std::size_t count = 0;
  while (!record_order_.empty()) {
    auto ready = records_.find(record_order_.front());
    if (ready == records_.end()) {
      break;
    }
    acks_ += ready->second;
    ++count;
    records_.erase(ready);
    record_order_.pop_front();
  }
  if (count == 0) {
    return;
  }
  if (before_records_) {
    before_records_(count);
  }
  out_.write(acks_, count);
}

}  // namespace cometd
