#include "duration.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

namespace cometd {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  struct Unit {
    std::string_view suffix;
    double millis;
  };
  static constexpr Unit k_units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}};
  double scale = 1000;  // bare numbers are seconds
  for (const auto& unit : k_units) {
    if (text.size() > unit.suffix.size() &&
        text.substr(text.size() - unit.suffix.size()) == unit.suffix) {
      const char before = text[text.size() - unit.suffix.size() - 1];
      if (std::isdigit(static_cast<unsigned char>(before)) || before == '.') {
        scale = unit.millis;
        text.remove_suffix(unit.suffix.size());
        break;
      }
    }
  }
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
      })) {
    return std::nullopt;
  }
  if (std::count(text.begin(), text.end(), '.') > 1 || text == ".") {
    return std::nullopt;
  }
  const double value = std::strtod(std::string(text).c_str(), nullptr) * scale;
  if (!std::isfinite(value) || value > 1e15) {
    return std::nullopt;
  }
  return std::chrono::milliseconds{static_cast<std::chrono::milliseconds::rep>(std::llround(value))};
}

std::string format_duration(std::chrono::milliseconds duration) {
  const auto ms = duration.count();
  if (ms != 0 && ms % 3600000 == 0) {
    return std::to_string(ms / 3600000) + "h";
  }
  if (ms != 0 && ms % 60000 == 0) {
    return std::to_string(ms / 60000) + "m";
  }
  if (ms % 1000 == 0) {
    return std::to_string(ms / 1000) + "s";
  }
  return std::to_string(ms) + "ms";
}

}  // namespace cometd
