#include "session/pending.hpp"

#include <atomic>

namespace cometd {

std::string next_message_id() {
  static std::atomic<std::uint64_t> counter{0};
  return std::to_string(++counter);
}

std::string PendingReplies::key(std::string_view channel, std::string_view id) {
  std::string k;
  k.reserve(channel.size() + id.size() + 1);
  k.append(channel);
  k.push_back('\0');
  k.append(id);
  return k;
}

void PendingReplies::add(Pending pending) {
  entries_[key(pending.channel, pending.id)].push_back(std::move(pending));
  ++size_;
}

bool PendingReplies::take(std::string_view channel, std::string_view id, Pending& out) {
  const auto it = entries_.find(key(channel, id));
  if (it == entries_.end()) {
    return false;
  }
  out = std::move(it->second.front());
  it->second.pop_front();
  if (it->second.empty()) {
    entries_.erase(it);
  }
  --size_;
  return true;
}

namespace {

template <typename Predicate>
std::vector<Pending> take_if(std::unordered_map<std::string, std::deque<Pending>>& entries,
                             std::size_t& size, Predicate predicate) {
  std::vector<Pending> out;
  for (auto it = entries.begin(); it != entries.end();) {
    auto& queue = it->second;
    for (auto q = queue.begin(); q != queue.end();) {
      if (predicate(*q)) {
        out.push_back(std::move(*q));
        q = queue.erase(q);
        --size;
      } else {
        ++q;
      }
    }
    it = queue.empty() ? entries.erase(it) : std::next(it);
  }
  return out;
}

}  // namespace

std::vector<Pending> PendingReplies::take_tag(std::uint64_t tag) {
  return take_if(entries_, size_, [tag](const Pending& p) { return tag == 0 || p.tag == tag; });
}

std::vector<Pending> PendingReplies::take_kind(RequestKind kind) {
  return take_if(entries_, size_, [kind](const Pending& p) { return p.kind == kind; });
}

}  // namespace cometd
