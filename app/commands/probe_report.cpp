#include "commands/probe_report.hpp"

#include <algorithm>
#include <cstdio>

#include "bayeux/json_out.hpp"

namespace cometd {

namespace {

std::string number(double value, const char* format = "%.1f") {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

/// Every step measured on a working transport, by name ("websocket handshake").
std::vector<std::pair<std::string, double>> steps(const ProbeResult& result) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& t : result.transports) {
    if (!t.ok) {
      continue;
    }
    for (const auto& [name, value] : {std::pair{"handshake", t.handshake_ms},
                                      std::pair{"connect", t.connect_ms},
                                      std::pair{"roundtrip", t.roundtrip_ms}}) {
      if (value) {
        out.emplace_back(t.type + " " + name, *value);
      }
    }
  }
  return out;
}

/// A Prometheus label value: backslash, double quote and line feed escaped.
std::string label(std::string_view value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

/// Text on one line: a server's error may hold line breaks.
std::string one_line(std::string text) {
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return text;
}

}  // namespace

bool ProbeResult::ok() const {
  return std::any_of(transports.begin(), transports.end(), [](const auto& t) { return t.ok; });
}

bool ProbeResult::offered(const std::string& type) const {
  const auto key = handshake.find("\"supportedConnectionTypes\"");
  if (key == std::string::npos) {
    return false;
  }
  const auto open = handshake.find('[', key);
  const auto close = handshake.find(']', open);
  return open != std::string::npos && close != std::string::npos &&
         handshake.substr(open, close - open).find("\"" + type + "\"") != std::string::npos;
}

std::string probe_json(const ProbeResult& result) {
  std::string out = "{\"url\":";
  append_json_string(out, result.url);
  out += ",\"handshake\":";
  out += result.handshake.empty() ? "null" : result.handshake;
  out += ",\"transports\":{";
  for (std::size_t i = 0; i < result.transports.size(); ++i) {
    const ProbeTransport& t = result.transports[i];
    out += i ? "," : "";
    append_json_string(out, t.type);
    out += t.ok ? ":{\"ok\":true" : ":{\"ok\":false";
    for (const auto& [name, value] : {std::pair{"handshake_ms", t.handshake_ms},
                                      std::pair{"connect_ms", t.connect_ms},
                                      std::pair{"roundtrip_ms", t.roundtrip_ms}}) {
      if (value) {
        out += ",\"";
        out += name;
        out += "\":" + number(*value);
      }
    }
    if (!t.ok) {
      out += ",\"error\":";
      append_json_string(out, t.error);
    } else if (!t.roundtrip_error.empty()) {
      out += ",\"roundtrip_error\":";
      append_json_string(out, t.roundtrip_error);
    }
    out += "}";
  }
  out += "},\"cookies\":[";
  bool first = true;
  for (const auto& name : result.cookies) {
    out += first ? "" : ",";
    first = false;
    append_json_string(out, name);
  }
  out += result.ok() ? "],\"ok\":true}\n" : "],\"ok\":false}\n";
  return out;
}

std::string probe_text(const ProbeResult& result) {
  std::size_t width = 7;  // "cookies", "verdict"
  for (const auto& t : result.transports) {
    width = std::max(width, t.type.size());
  }
  auto row = [width](const std::string& name, const std::string& text) {
    return name + std::string(width - std::min(width, name.size()), ' ') + " " + text + "\n";
  };
  std::string out = row("url", result.url);
  for (const auto& t : result.transports) {
    std::string text;
    if (!t.ok) {
      text = "FAIL  " + one_line(t.error);
    } else {
      text = "ok    handshake " + number(*t.handshake_ms) + " ms";
      text += t.connect_ms ? ", connect " + number(*t.connect_ms) + " ms" : "";
      text += t.roundtrip_ms ? ", round trip " + number(*t.roundtrip_ms) + " ms"
                             : "; messages do not flow: " + one_line(t.roundtrip_error);
    }
    out += row(t.type, text);
  }
  std::string names;
  for (const auto& name : result.cookies) {
    names += (names.empty() ? "" : ", ") + name;
  }
  out += row("cookies", names.empty() ? "none" : names);
  out += row("verdict", result.ok() ? "ok" : "no transport works");
  return out;
}

NagiosReport probe_nagios(const ProbeResult& result, std::optional<Millis> warn,
                          std::optional<Millis> crit, bool auth_refused) {
  std::size_t working = 0;
  std::size_t flowing = 0;
  std::vector<std::string> problems;
  for (const auto& t : result.transports) {
    working += t.ok ? 1 : 0;
    flowing += t.roundtrip_ms ? 1 : 0;
    if (!t.ok && (result.handshake.empty() || result.offered(t.type))) {
      problems.push_back(t.type + ": " + one_line(t.error));
    } else if (t.ok && !t.roundtrip_ms) {
      problems.push_back(t.type + ": messages do not flow (" + one_line(t.roundtrip_error) + ")");
    }
  }
  const auto measured = steps(result);
  const auto slowest = std::max_element(measured.begin(), measured.end(),
                                        [](const auto& a, const auto& b) { return a.second < b.second; });
  NagiosReport report;
  std::string summary = std::to_string(working) + " of " +
                        std::to_string(result.transports.size()) + " transports work";
  if (working > 0) {
    summary += flowing == working ? ", messages flow" : ", messages flow on " +
                                                           std::to_string(flowing);
  }
  if (slowest != measured.end()) {
    summary += "; slowest step " + number(slowest->second) + " ms (" + slowest->first + ")";
    const auto over = [&](std::optional<Millis> limit) {
      return limit && slowest->second > static_cast<double>(limit->count());
    };
    if (over(crit)) {
      report.code = 2;
      summary += " over " + std::to_string(crit->count()) + " ms";
    } else if (over(warn)) {
      report.code = 1;
      summary += " over " + std::to_string(warn->count()) + " ms";
    }
  }
  if (working == 0 || flowing == 0) {
    report.code = auth_refused ? 3 : 2;
  } else if (!problems.empty()) {
    report.code = std::max(report.code, 1);
  }
  for (const auto& problem : problems) {
    summary += "; " + problem;
  }
  static const char* const k_status[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
  report.text = std::string("COMETD ") + k_status[report.code] + " - " + summary + " |";
  const std::string limits = (warn ? number(static_cast<double>(warn->count()) / 1000.0, "%g") : "") +
                             ";" +
                             (crit ? number(static_cast<double>(crit->count()) / 1000.0, "%g") : "");
  for (const auto& [name, ms] : measured) {
    std::string perf = name;
    std::replace(perf.begin(), perf.end(), ' ', '_');
    std::replace(perf.begin(), perf.end(), '-', '_');
    report.text += " " + perf + "=" + number(ms / 1000.0, "%.6f") + "s;" + limits + ";0;";
  }
  report.text += " transports_ok=" + std::to_string(working) + ";;;0;" +
                 std::to_string(result.transports.size()) + "\n";
  return report;
}

std::string probe_prometheus(const ProbeResult& result) {
  const std::string url = "url=\"" + label(result.url) + "\"";
  std::string out =
      "# HELP cometd_probe_success Whether at least one transport handshakes and connects.\n"
      "# TYPE cometd_probe_success gauge\n"
      "cometd_probe_success{" + url + "} " + (result.ok() ? "1" : "0") + "\n"
      "# HELP cometd_probe_transport_up Whether the transport handshakes and connects.\n"
      "# TYPE cometd_probe_transport_up gauge\n";
  for (const auto& t : result.transports) {
    out += "cometd_probe_transport_up{" + url + ",transport=\"" + label(t.type) + "\"} " +
           (t.ok ? "1" : "0") + "\n";
  }
  out += "# HELP cometd_probe_messages_flow Whether a message published to a private channel "
         "came back.\n"
         "# TYPE cometd_probe_messages_flow gauge\n";
  for (const auto& t : result.transports) {
    out += "cometd_probe_messages_flow{" + url + ",transport=\"" + label(t.type) + "\"} " +
           (t.roundtrip_ms ? "1" : "0") + "\n";
  }
  out += "# HELP cometd_probe_step_seconds How long each step took.\n"
         "# TYPE cometd_probe_step_seconds gauge\n";
  for (const auto& t : result.transports) {
    for (const auto& [name, value] : {std::pair{"handshake", t.handshake_ms},
                                      std::pair{"connect", t.connect_ms},
                                      std::pair{"roundtrip", t.roundtrip_ms}}) {
      if (value) {
        out += "cometd_probe_step_seconds{" + url + ",transport=\"" + label(t.type) +
               "\",step=\"" + name + "\"} " + number(*value / 1000.0, "%.6f") + "\n";
      }
    }
  }
  return out;
}

}  // namespace cometd
