// One simulated client of `bench`: what its session reports, handed to the load.
#include "bench/load.hpp"
#include "bench/payload.hpp"

namespace cometd {

BenchClient::BenchClient(Load& l, std::uint32_t client_id, std::size_t slot_index,
                         std::vector<std::uint32_t> client_rooms)
    : load(l),
      id(client_id),
      slot(slot_index),
      rooms(std::move(client_rooms)),
      room_ready(rooms.size(), false),
      next_seq(rooms.size(), 0),
      joined_at_count(rooms.size(), 0) {}

void BenchClient::on_message(const MessageView& message) {
  const long room = load.room_of(message.channel);
  if (room < 0) {
    return;
  }
  BenchPayload payload;
  if (!parse_payload(message.data, payload)) {
    load.error("delivery without a bench payload");
    return;
  }
  load.delivered(*this, static_cast<std::uint32_t>(room), payload.publisher, payload.seq,
                 payload.intended_ns);
}

void BenchClient::on_meta(const MessageView& message) {
  if (!message.successful || !*message.successful) {
    return;
  }
  if (message.channel == "/meta/handshake" && !handshaken) {
    handshaken = true;
    load.client_handshaken(*this);
  } else if (message.channel == "/meta/subscribe") {
    std::string_view sub = message.subscription;
    if (sub.size() >= 2 && sub.front() == '"') {
      sub = sub.substr(1, sub.size() - 2);
    }
    const long room = load.room_of(sub);
    for (std::size_t i = 0; i < rooms.size(); ++i) {
      if (static_cast<long>(rooms[i]) == room) {
        load.room_confirmed(*this, i);
      }
    }
  }
}

void BenchClient::on_publish_result(const PublishResult& result) {
  load.publish_done(*this, result);
}

void BenchClient::on_fatal(ExitCode /*code*/, std::string message) {
  load.client_failed(*this, message);
}

void BenchClient::on_connection_lost(const std::string& /*reason*/) {
  ++errors;
  load.error("connection lost");
}

void BenchClient::on_reconnected(Millis /*outage*/, bool /*new_session*/,
                                 std::size_t /*resubscribed*/) {
  ++reconnects;
  load.reconnected();
}

}  // namespace cometd
