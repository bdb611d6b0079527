#include "cookie_jar.hpp"

#include <strings.h>
#include <algorithm>
#include <cctype>
#include <ctime>
#include <iterator>
#include <tuple>

namespace cometd {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

bool is_ip_literal(std::string_view host) {
  if (host.find(':') != std::string_view::npos) {
    return true;  // IPv6
  }
  return !host.empty() && std::all_of(host.begin(), host.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
  });
}

// RFC 6265 §5.1.3
bool domain_matches(const std::string& host, const std::string& domain) {
  if (host == domain) {
    return true;
  }
  return !is_ip_literal(host) && host.size() > domain.size() &&
         host.compare(host.size() - domain.size(), domain.size(), domain) == 0 &&
         host[host.size() - domain.size() - 1] == '.';
}

// RFC 6265 §5.1.4
std::string default_path(const std::string& target) {
  std::string_view path = target;
  path = path.substr(0, path.find('?'));
  if (path.empty() || path.front() != '/') {
    return "/";
  }
  const auto last = path.rfind('/');
  return last == 0 ? "/" : std::string(path.substr(0, last));
}

bool path_matches(std::string_view request_path, const std::string& cookie_path) {
  if (request_path == cookie_path) {
    return true;
  }
  if (request_path.substr(0, cookie_path.size()) != cookie_path) {
    return false;
  }
  return cookie_path.back() == '/' || request_path[cookie_path.size()] == '/';
}

/// IMF-fixdate (Sun, 06 Nov 1994 08:49:37 GMT) and the dashed RFC 850 forms, as seconds since
/// the epoch: far-future dates stay numbers here, clamped before they become time points.
std::optional<std::time_t> parse_http_date(std::string_view text) {
  const std::string s(text);
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S", "%a, %d-%b-%Y %H:%M:%S", "%A, %d-%b-%y %H:%M:%S"}) {
    std::tm tm{};
    if (strptime(s.c_str(), format, &tm) != nullptr) {
      return timegm(&tm);
    }
  }
  return std::nullopt;
}

/// RFC 6265 §5.2.2: an optional '-' and digits, else the attribute is ignored. Saturates
/// instead of overflowing: Max-Age=99999999999999999999 is "far away", not negative.
std::optional<long long> parse_max_age(std::string_view value) {
  const bool negative = !value.empty() && value.front() == '-';
  const std::string_view digits = value.substr(negative ? 1 : 0);
  if (digits.empty()) {
    return std::nullopt;
  }
  constexpr long long k_saturated = 1'000'000'000'000'000LL;
  long long seconds = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    seconds = std::min(seconds * 10 + (c - '0'), k_saturated);
  }
  return negative ? -seconds : seconds;
}

/// The expiry `seconds` from `now`, at most CookieJar::k_max_lifetime away; in the past
/// (a deletion) when `seconds` is not positive.
CookieJar::Clock::time_point expiry_after(CookieJar::Clock::time_point now, long long seconds) {
  if (seconds <= 0) {
    return CookieJar::Clock::time_point::min();
  }
  return now + std::min(std::chrono::seconds(seconds), CookieJar::k_max_lifetime);
}

}  // namespace

bool CookieJar::Key::operator<(const Key& other) const {
  return std::tie(domain, path, name) < std::tie(other.domain, other.path, other.name);
}

void CookieJar::store(const Url& request, std::string_view set_cookie, Clock::time_point now) {
  if (set_cookie.size() > k_max_cookie_bytes) {
    return;  // RFC 6265 §6.1: 4096 bytes per cookie is what a server may count on
  }
  if (std::any_of(set_cookie.begin(), set_cookie.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\t') || u == 0x7f;
      })) {
    return;  // RFC 6265bis §5.6: control characters; never echoed into a Cookie header
  }
  std::string_view rest = set_cookie;
  const auto semi = rest.find(';');
  const std::string_view pair = trim(rest.substr(0, semi));
  rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
  const auto eq = pair.find('=');
  if (eq == std::string_view::npos || trim(pair.substr(0, eq)).empty()) {
    return;
  }
  Key key;
  Cookie cookie;
  key.name.assign(trim(pair.substr(0, eq)));
  cookie.value.assign(trim(pair.substr(eq + 1)));
  const std::string host = lower(request.host);
  key.domain = host;
  key.path = default_path(request.target);
  std::optional<Clock::time_point> max_age_expiry;
  while (!rest.empty()) {
    const auto next = rest.find(';');
    const std::string_view attribute = trim(rest.substr(0, next));
    rest = next == std::string_view::npos ? std::string_view{} : rest.substr(next + 1);
    const auto aeq = attribute.find('=');
    const std::string name = lower(trim(attribute.substr(0, aeq)));
    const std::string_view value =
        aeq == std::string_view::npos ? std::string_view{} : trim(attribute.substr(aeq + 1));
    if (name == "domain" && !value.empty()) {
      std::string domain = lower(value.front() == '.' ? value.substr(1) : value);
      if (!domain_matches(host, domain)) {
        return;  // a server may not set cookies for another domain
      }
      key.domain = std::move(domain);
      cookie.host_only = is_ip_literal(host);  // an IP literal matches itself only
    } else if (name == "path" && !value.empty() && value.front() == '/') {
      key.path.assign(value);
    } else if (name == "secure") {
      cookie.secure = true;
    } else if (name == "max-age") {
      if (const auto seconds = parse_max_age(value)) {
        max_age_expiry = expiry_after(now, *seconds);
      }
    } else if (name == "expires" && !cookie.expires) {
      if (const auto when = parse_http_date(value)) {
        cookie.expires = expiry_after(now, static_cast<long long>(*when - Clock::to_time_t(now)));
      }
    }
  }
  if (max_age_expiry) {
    cookie.expires = max_age_expiry;  // Max-Age wins over Expires
  }
  const auto existing = cookies_.find(key);
  if (cookie.expires && *cookie.expires <= now) {
    if (existing != cookies_.end()) {
      erase(existing);  // a deletion
    }
    return;
  }
  if (existing != cookies_.end()) {
    cookie.created = existing->second.created;  // §5.3 step 11.3: keeps its creation time
    existing->second = std::move(cookie);
    return;
  }
  insert(std::move(key), std::move(cookie), now);
}

void CookieJar::insert(Key key, Cookie cookie, Clock::time_point now) {
  cookie.created = next_created_++;
  const auto it = cookies_.emplace(std::move(key), std::move(cookie)).first;
  by_age_.emplace(it->second.created, it);
  // §5.3 step 12: room is made by the expired cookies first, then by the oldest.
  auto [first, last] = domain_range(it->first.domain);
  if (static_cast<std::size_t>(std::distance(first, last)) > k_max_per_domain) {
    auto victim = first;
    for (auto c = first; c != last; ++c) {
      if (c->second.expires && *c->second.expires <= now) {
        victim = c;
        break;
      }
      if (c->second.created < victim->second.created) {
        victim = c;
      }
    }
    erase(by_age_.at(victim->second.created));
  }
  if (cookies_.size() > k_max_cookies) {
    erase(by_age_.begin()->second);
  }
}

void CookieJar::erase(Map::iterator it) {
  by_age_.erase(it->second.created);
  cookies_.erase(it);
}

std::pair<CookieJar::Map::const_iterator, CookieJar::Map::const_iterator> CookieJar::domain_range(
    const std::string& domain) const {
  const auto first = cookies_.lower_bound(Key{domain, {}, {}});
  auto last = first;
  while (last != cookies_.end() && last->first.domain == domain) {
    ++last;
  }
  return {first, last};
}

std::string CookieJar::header_for(const Url& request, Clock::time_point now) const {
  const std::string host = lower(request.host);
  const std::string_view path =
      std::string_view(request.target).substr(0, request.target.find('?'));
  std::vector<std::pair<const Key*, const Cookie*>> matching;
  // Only the host and its parent domains can match (a.b.example.com: b.example.com,
  // example.com, com); an IP literal only itself.
  std::string_view domain = host;
  while (true) {
    const auto [first, last] = domain_range(std::string(domain));
    for (auto it = first; it != last; ++it) {
      const Cookie& cookie = it->second;
      if ((cookie.host_only && domain != host) || (cookie.expires && *cookie.expires <= now) ||
          !path_matches(path, it->first.path) || (cookie.secure && !request.tls())) {
        continue;
      }
      matching.emplace_back(&it->first, &cookie);
    }
    const auto dot = domain.find('.');
    if (is_ip_literal(host) || dot == std::string_view::npos) {
      break;
    }
    domain.remove_prefix(dot + 1);
  }
  // RFC 6265 §5.4: longer paths first, then the earlier created.
  std::sort(matching.begin(), matching.end(), [](const auto& a, const auto& b) {
    if (a.first->path.size() != b.first->path.size()) {
      return a.first->path.size() > b.first->path.size();
    }
    return a.second->created < b.second->created;
  });
  std::string header;
  for (const auto& [key, cookie] : matching) {
    if (!header.empty()) {
      header += "; ";
    }
    header += key->name;
    header += '=';
    header += cookie->value;
  }
  return header;
}

std::vector<std::string> CookieJar::names() const {
  std::vector<std::string> out;
  for (const auto& [key, cookie] : cookies_) {
    if (std::find(out.begin(), out.end(), key.name) == out.end()) {
      out.push_back(key.name);
    }
  }
  return out;
}

namespace {

bool is_token_char(char c) {
  // RFC 7230 tchar.
  return (std::isalnum(static_cast<unsigned char>(c)) != 0) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// True when `rest` starts (after spaces) with a cookie name followed by '='.
bool starts_cookie(std::string_view rest) {
  std::size_t i = 0;
  while (i < rest.size() && rest[i] == ' ') {
    ++i;
  }
  const std::size_t name_start = i;
  while (i < rest.size() && is_token_char(rest[i])) {
    ++i;
  }
  return i > name_start && i < rest.size() && rest[i] == '=';
}

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && s.front() == ' ') {
    s.remove_prefix(1);
  }
  while (!s.empty() && s.back() == ' ') {
    s.remove_suffix(1);
  }
  return s;
}

}  // namespace

std::vector<std::string_view> split_set_cookie_list(std::string_view folded) {
  std::vector<std::string_view> cookies;
  std::size_t start = 0;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (folded[i] == ',' && starts_cookie(folded.substr(i + 1))) {
      if (auto one = trim_spaces(folded.substr(start, i - start)); !one.empty()) {
        cookies.push_back(one);
      }
      start = i + 1;
    }
  }
  if (auto last = trim_spaces(folded.substr(start)); !last.empty()) {
    cookies.push_back(last);
  }
  return cookies;
}

void merge_cookie_header(Headers& headers, std::string_view jar_cookies) {
  std::string merged;
  std::size_t position = headers.size();  // where the first Cookie header was
  for (std::size_t i = 0; i < headers.size();) {
    if (strcasecmp(headers[i].first.c_str(), "Cookie") != 0) {
      ++i;
      continue;
    }
    if (!headers[i].second.empty()) {
      merged += merged.empty() ? "" : "; ";
      merged += headers[i].second;
    }
    position = std::min(position, i);
    headers.erase(headers.begin() + static_cast<std::ptrdiff_t>(i));
  }
  if (!jar_cookies.empty()) {
    merged += merged.empty() ? "" : "; ";
    merged += jar_cookies;
  }
  if (!merged.empty()) {
    position = std::min(position, headers.size());
    headers.emplace(headers.begin() + static_cast<std::ptrdiff_t>(position), "Cookie",
                    std::move(merged));
  }
}

}  // namespace cometd
