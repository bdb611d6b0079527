#include "cookie_jar.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

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

std::optional<CookieJar::Clock::time_point> parse_http_date(std::string_view text) {
  // IMF-fixdate (Sun, 06 Nov 1994 08:49:37 GMT) and the dashed RFC 850 form.
  const std::string s(text);
  for (const char* format : {"%a, %d %b %Y %H:%M:%S", "%a, %d-%b-%Y %H:%M:%S", "%A, %d-%b-%y %H:%M:%S"}) {
    std::tm tm{};
    if (strptime(s.c_str(), format, &tm) != nullptr) {
      return CookieJar::Clock::from_time_t(timegm(&tm));
    }
  }
  return std::nullopt;
}

}  // namespace

void CookieJar::store(const Url& request, std::string_view set_cookie, Clock::time_point now) {
  std::string_view rest = set_cookie;
  const auto semi = rest.find(';');
  const std::string_view pair = trim(rest.substr(0, semi));
  rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
  const auto eq = pair.find('=');
  if (eq == std::string_view::npos || trim(pair.substr(0, eq)).empty()) {
    return;
  }
  Cookie cookie;
  cookie.name.assign(trim(pair.substr(0, eq)));
  cookie.value.assign(trim(pair.substr(eq + 1)));
  const std::string host = lower(request.host);
  cookie.domain = host;
  cookie.path = default_path(request.target);
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
      cookie.domain = std::move(domain);
      cookie.host_only = is_ip_literal(host);  // an IP literal matches itself only
    } else if (name == "path" && !value.empty() && value.front() == '/') {
      cookie.path.assign(value);
    } else if (name == "secure") {
      cookie.secure = true;
    } else if (name == "max-age" && !value.empty()) {
      char* end = nullptr;
      const std::string digits(value);
      const long long seconds = std::strtoll(digits.c_str(), &end, 10);
      if (end != nullptr && *end == '\0') {
        max_age_expiry = seconds <= 0 ? Clock::time_point::min() : now + std::chrono::seconds(seconds);
      }
    } else if (name == "expires" && !cookie.expires) {
      cookie.expires = parse_http_date(value);
    }
  }
  if (max_age_expiry) {
    cookie.expires = max_age_expiry;  // Max-Age wins over Expires
  }
  cookies_.erase(std::remove_if(cookies_.begin(), cookies_.end(),
                                [&](const Cookie& c) {
                                  return c.name == cookie.name && c.domain == cookie.domain &&
                                         c.path == cookie.path;
                                }),
                 cookies_.end());
  if (cookie.expires && *cookie.expires <= now) {
    return;  // a deletion
  }
  cookies_.push_back(std::move(cookie));
}

std::string CookieJar::header_for(const Url& request, Clock::time_point now) const {
  const std::string host = lower(request.host);
  const std::string_view path = std::string_view(request.target).substr(0, request.target.find('?'));
  std::vector<const Cookie*> matching;
  for (const auto& cookie : cookies_) {
    if (cookie.expires && *cookie.expires <= now) {
      continue;
    }
    if (cookie.host_only ? host != cookie.domain : !domain_matches(host, cookie.domain)) {
      continue;
    }
    if (!path_matches(path, cookie.path) || (cookie.secure && !request.tls())) {
      continue;
    }
    matching.push_back(&cookie);
  }
  // RFC 6265 §5.4: longer paths first.
  std::stable_sort(matching.begin(), matching.end(), [](const Cookie* a, const Cookie* b) {
    return a->path.size() > b->path.size();
  });
  std::string header;
  for (const Cookie* cookie : matching) {
    if (!header.empty()) {
      header += "; ";
    }
    header += cookie->name;
    header += '=';
    header += cookie->value;
  }
  return header;
}

std::vector<std::string> CookieJar::names() const {
  std::vector<std::string> out;
  for (const auto& cookie : cookies_) {
    if (std::find(out.begin(), out.end(), cookie.name) == out.end()) {
      out.push_back(cookie.name);
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

}  // namespace cometd
