// cometd-cli(1): the prose is written here in man(7) roff; the OPTIONS section and the command
// list come from the flag and command tables.
#include <cctype>
#include <string>

#include "cli/completion.hpp"
#include "cli/flags.hpp"

namespace cometd {

namespace {

/// Text for roff: backslashes escaped, hyphens as \- (so that options copy and paste).
std::string roff(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  return out;
}

/// Prose for roff: like roff() but hyphens inside words stay hyphens (long-polling).
std::string prose(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool word_hyphen = c == '-' && i > 0 && i + 1 < text.size() &&
                             std::isalpha(static_cast<unsigned char>(text[i - 1])) &&
                             std::isalpha(static_cast<unsigned char>(text[i + 1]));
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-' && !word_hyphen) {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out.front() == '.' || out.front() == '\'')) {
    out.insert(0, "\\&");
  }
  return out;
}

std::string flag_entry(const FlagSpec& spec) {
  std::string s = ".TP\n";
  if (spec.short_name != 0) {
    s += "\\fB\\-" + std::string(1, spec.short_name) + "\\fR, ";
  }
  s += "\\fB\\-\\-" + roff(spec.long_name) + "\\fR";
  if (!spec.value_name.empty()) {
    s += " \\fI" + roff(spec.value_name) + "\\fR";
  }
  s += "\n" + prose(spec.help) + ".";
  if (!spec.default_text.empty()) {
    s += " Default: \\fB\\%" + roff(spec.default_text) + "\\fR.";
  }
  if (!spec.env.empty()) {
    s += " Environment: \\fB" + roff(spec.env) + "\\fR.";
  }
  if (spec.kind == FlagKind::repeated || spec.kind == FlagKind::counter) {
    s += " Repeatable.";
  }
  return s + "\n";
}

std::string options_section() {
  std::string s =
      ".SH OPTIONS\n"
      "The global options go before or after the subcommand; the options of a subcommand go "
      "after it (given elsewhere, they are a usage error that says where they belong).\n"
      "\\fB\\-\\-\\fR ends the options: every later argument is an argument, even one that "
      "starts with a dash, such as the \\fIDATA\\fR of\n"
      ".BR \"publish URL /a \\-\\- \\-1\" .\n"
      "A word that starts with a dash and a digit is an argument anyway.\n"
      ".SS Global options\n";
  for (const auto& spec : flag_table()) {
    if ((spec.scopes & scope::global) != 0) {
      s += flag_entry(spec);
    }
  }
  for (const auto& command : command_table()) {
    const auto flags = flags_of(command);
    if (flags.empty()) {
      continue;
    }
    s += ".SS " + std::string(command.name) + " options\n";
    for (const FlagSpec* spec : flags) {
      s += flag_entry(*spec);
    }
  }
  return s;
}

std::string synopsis_section() {
  std::string s = ".SH SYNOPSIS\n";
  for (const auto& command : command_table()) {
    s += ".B cometd\\-cli\n";
    if (command.scope != 0 || command.name == "probe") {
      s += "[\\fIOPTIONS\\fR]\n";
    }
    s += "\\fB" + std::string(command.name) + "\\fR";
    if (!command.alias.empty()) {
      s += "|\\fB" + std::string(command.alias) + "\\fR";
    }
    s += " \\fI" + roff(command.args) + "\\fR\n.br\n";
  }
  s += ".B cometd\\-cli \\-\\-help\n.br\n.B cometd\\-cli \\-\\-version\n";
  return s;
}

constexpr const char* k_head = R"ROFF(.TH COMETD\-CLI 1 2026-11-26 "cometd\-cli VERSION" "User Commands"
.SH NAME
cometd\-cli \- command\-line client for CometD / Bayeux servers
)ROFF";

constexpr const char* k_description = R"ROFF(.SH DESCRIPTION
.B cometd\-cli
speaks the Bayeux 1.0 protocol of CometD servers (CometD, Faye, Salesforce Streaming API)
over WebSocket and long\-polling.
It writes the messages it receives to standard output as NDJSON, one JSON message per line,
and reads publish requests from standard input, so that it fits in shell pipelines, scripts
and cron jobs.
Status lines, warnings and errors go to standard error; standard output carries data only.
.PP
.I URL
is the server's HTTP(S) endpoint, such as
.BR http://host:8080/cometd ;
its path and query are kept.
WebSocket uses the same URL with the scheme changed to ws or wss, and a ws:// or wss:// URL is
accepted too.
When the first argument of a subcommand has no scheme, the URL comes from
.BR COMETD_URL .
Credentials in the URL (https://user:password@host/...) are sent as HTTP Basic authentication.
.PP
A channel name starts with a slash; it may end in the wildcards
.B /*
(one level) and
.B /**
(any depth).
Quote wildcards, or the shell may expand them:
.BR '/chat/**' .
.PP
While it runs the client survives network failures: it reconnects, handshakes again when the
server has lost the session, resubscribes every channel and goes on.
How, and for how long, is in RECONNECTING below.
.SH COMMANDS
.TP
\fBsubscribe\fR|\fBsub\fR \fIURL CHANNEL\fR...
Handshake, subscribe to every
.IR CHANNEL ,
and write each message received as one line of JSON, exactly as the server sent it
(minified): the
.B data
passes through byte for byte, numbers, key order and unicode escapes included.
Stops at
.BR \-\-count ,
.B \-\-duration
or
.BR \-\-idle\-timeout ,
when standard output is closed, or on SIGINT/SIGTERM.
.TP
\fBpublish\fR|\fBpub\fR \fIURL\fR [\fICHANNEL\fR [\fIDATA\fR]]
With
.I CHANNEL
and
.IR DATA ,
publish one message and wait for its reply;
.I DATA
is any JSON text, used exactly as typed (arrays included:
.BR "'[1,2,3]'" ,
.BR "'[]'" ).
With
.I CHANNEL
alone, each standard input line is the
.B data
of one message to it; with
.BR \-\-raw ,
each line (or
.IR DATA )
is text, published as a JSON string without being parsed, so that plain text logs go
straight to a channel.
With neither, each line is a request
.BR {"channel":"/x","data":...} ,
optionally with
.B id
and
.BR ext ;
other fields are ignored, so the output of
.B subscribe
can be piped into
.BR publish .
Lines are batched into one Bayeux request while earlier ones are in flight; at the end of
input the client waits for every reply, then disconnects.
Bad lines (not JSON, no channel, no data, a wildcard or /meta channel, over 1 MiB) are
reported as
.B cometd\-cli: stdin:LINE: reason
and skipped: every good line is still published, and the exit status is 65.
A line that is not JSON is reported with what is wrong and where
(\fBnot JSON: a comma before '}' at column 8\fR), and, when it reads as plain text, with a
hint: quote a JSON string as \fB'"text"'\fR, or publish text with \fB\-\-raw\fR.
Blank lines, CRLF line ends and a last line without newline are accepted; empty input
publishes nothing.
.TP
\fBcall\fR \fIURL\fR \fI/service/CHANNEL\fR [\fIDATA\fR]
Publish
.I DATA
(or all of standard input) to a service channel and print the message the server sends back
on it, one line.
Exit 124 when no reply came within
.B \-\-duration
(10 s).
.TP
\fBprobe\fR \fIURL\fR
Handshake over each transport of
.B \-\-connection\-type
(both by default) at the same time, a fresh cookie jar each, send a first
/meta/connect, and publish a message to a private channel it subscribed to (its round trip
says whether messages flow); then print one report of what the server offers and what works,
in every case (JSON by default, \fB"handshake":null\fR when no handshake succeeded;
\fB\-\-format\fR text, nagios or prometheus for people and monitoring).
A dead server costs one
.BR \-\-timeout ,
not one per transport.
The first command to run against a server you are debugging.
Exit 0 when at least one transport works; 77 when the server refused the handshakes for
authentication; 69 when none works otherwise, with one line on standard error saying why.
With \fB\-\-format nagios\fR: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
.TP
\fBbench\fR \fIURL\fR
Load\-test the server from one process: \fB\-\-clients\fR real Bayeux sessions (each with its
own cookie jar) subscribe to \fB\-\-rooms\fR channels under /bench/\fIRUN\fR/, and the
publishers send \fB\-\-rate\fR messages per second in all at a fixed schedule.
Each message carries its publisher, a sequence number and the time it was \fIintended\fR to be
sent; latency is receive time minus intended time, so a stall of the server or of the client
shows in the percentiles instead of being omitted.
With \fB\-\-rate 0\fR (closed loop) there is no schedule: a message is intended when it is
sent, so the latency is the service time, and the rate is whatever the server sustains.
The results: latency, publish round trip and handshake percentiles (p50 to p99.99 and max),
messages per second per client and in all, and per room the deliveries expected (subscribers
times messages), received, lost, duplicated and out of order, with reconnections and errors by
kind; a table on a terminal, else one JSON object
(\fB\-\-json\fR forces it).
Exit 0 when the run completed, 1 when deliveries were lost or duplicated, 69 when no client
could connect.
The soft open\-file limit is raised to the hard one, with a warning when that allows fewer
sessions than asked for.
\fB\-\-ext\-plugin\fR and \fB\-\-auth\-command\fR are refused by bench (a usage error);
\fB\-\-max\-pending\fR has no effect there.
.TP
\fBcompletion\fR \fBbash\fR|\fBzsh\fR|\fBfish\fR
Print the completion script for the shell, for instance
.BR "source <(cometd\-cli completion bash)" .
.TP
\fBhelp\fR [\fICOMMAND\fR]
Print the help of
.BR cometd\-cli ,
or of
.I COMMAND
with its own options and the global ones, as
.B \-\-help
does.
An unknown command is a usage error that names the commands there are.
)ROFF";

constexpr const char* k_rest = R"ROFF(.PP
Durations accept \fB500ms\fR, \fB10s\fR, \fB2m\fR, \fB1h\fR and bare seconds.
\fB0\fR means no limit for every duration option (for \fB\-\-network\-delay\fR, in practice
20 days, the longest wait the HTTP library can express).
A duration over 10 years is a usage error.
.SH JSON OUTPUT FORMAT
.B subscribe
writes one record per line, in one of three forms chosen with
.BR \-o :
.TP
.B json
The message object as the server sent it, minified:
.EX
{"channel":"/chat/room","data":{"text":"hello","n":1},"id":"4"}
.EE
.TP
.B envelope
The message with its sequence number (from 1), the time it was received (RFC 3339, UTC,
microseconds) and the most specific subscription pattern that matches its channel (the
channel itself, then the longest prefix, then /a/* before /a/**; null for none):
.EX
{"seq":1,"ts":"2026\-11\-26T03:04:20.123456Z","subscription":"/chat/**",
 "message":{"channel":"/chat/room","data":{"text":"hello","n":1}}}
.EE
.TP
.B data
The
.B data
value alone:
.EX
{"text":"hello","n":1}
.EE
.PP
With
.BR \-\-meta ,
the replies on /meta channels are written too (they do not count toward
.BR \-\-count ).
.PP
Overlapping subscriptions (\fB'/ov/**' '/ov/*' /ov/a\fR): whether a message that matches
several of them comes once or once per subscription is the server's choice, and
.B cometd\-cli
writes what it receives.
The CometD server (Java) delivers a message once per session.
Observed on loopback: Faye 1.4 delivered a message to /ov/a once, over both transports; the
CometD Node server 1.2 delivered it once per matching subscription, three times, each copy
counting toward
.BR \-\-count .
Each copy's envelope names the most specific pattern.
.PP
.B publish
reads one request per line:
.EX
{"channel":"/chat/room","data":{"text":"hi"}}
{"channel":"/chat/room","data":[1,2,3],"id":"order\-17","ext":{"trace":"abc"}}
.EE
With
.BR \-\-acks ,
it writes one record per input line, in line order: the reply to its publish, or why the
line is bad (with null for what is not known of it), so that records and lines pair up:
.EX
{"line":1,"channel":"/chat/room","id":"5","successful":true}
{"line":2,"channel":"/chat/room","id":"order\-17","successful":false,"error":"403::publish_denied"}
{"line":3,"channel":null,"id":null,"successful":false,"error":"not JSON: ..."}
.EE
.SH EXTENSIONS AND AUTHENTICATION
Extensions see every message, /meta ones included, just before it is sent and just after it
is received.
Outgoing, the built\-in extensions run first, then the plugins in command\-line order, then the
auth extension; incoming, the reverse.
.PP
After an authentication failure (HTTP 401 or 403, a refused handshake with code 401 or 403,
Salesforce's failureReason, a 401 reply whose advice is not handshake) the auth source is asked
for new credentials once and the failed request is retried; a second failure ends the run with
exit 77.
Session loss (unknown client) is never taken for an authentication failure.
The auth source runs at most 3 times in 10 minutes.
.PP
The built\-in extensions (\fB\-\-ext\fR): \fBack\fR, CometD's acknowledgement extension, with
which the server redelivers within the session what was not acknowledged (a batch is
acknowledged only once its lines are written); \fBreplay\fR, Salesforce durable streaming
(\fB\-\-replay\-from\fR, \fB\-\-replay\-store\fR); \fBtimesync\fR, the server clock offset.
.SH EXTENSION PLUGINS
A plugin is a shared library that exports one symbol,
.BR cometd_plugin_entry ,
returning the ABI version 1 structure below, declared in
.B <cometd\-cli/cometd_plugin.h>
(installed with the program).
Load it with
\fB\-\-ext\-plugin\fR \fIPATH\fR[\fB:\fR\fIARG\fR];
.I ARG
is handed to
.BR create ().
A bare file name is taken from the current directory, never searched for.
.EX
#define COMETD_PLUGIN_ABI 1
typedef struct {
    int abi;                       /* COMETD_PLUGIN_ABI */
    const char *name;
    void *(*create)(const char *arg, const char **error);   /* NULL + *error to refuse */
    void (*destroy)(void *self);
    /* payload: a JSON array of Bayeux messages; headers: a JSON object of HTTP headers.
       Return NULL to leave the payload unchanged, or a malloc'd replacement the host frees.
       *new_headers may likewise be set to a malloc'd JSON object. */
    char *(*outgoing)(void *self, const char *payload, const char *headers, char **new_headers);
    char *(*incoming)(void *self, const char *payload, const char *headers, char **new_headers);
    /* NULL for a plain extension. An auth extension: called after an authentication failure;
       return 0 when new credentials are in place (the failed request is then retried). */
    int (*authenticate)(void *self);
} cometd_plugin_v1;

const cometd_plugin_v1 *cometd_plugin_entry(void);
.EE
.PP
A complete plugin that adds a header to every request and WebSocket upgrade:
.EX
/* hello_plugin.c */
#include <stdlib.h>
#include <string.h>
#include <cometd\-cli/cometd_plugin.h>

static void *create(const char *arg, const char **error) {
    (void)arg; (void)error;
    return malloc(1);
}
static void destroy(void *self) { free(self); }

static char *outgoing(void *self, const char *payload, const char *headers,
                      char **new_headers) {
    (void)self; (void)payload;
    const char *end = strrchr(headers, '}');
    size_t head = (size_t)(end \- headers);
    char *out = malloc(head + 32);
    memcpy(out, headers, head);
    strcpy(out + head, head > 1 ? ",\e"X\-Hello\e":\e"1\e"}" : "\e"X\-Hello\e":\e"1\e"}");
    *new_headers = out;
    return NULL;
}

static const cometd_plugin_v1 plugin = {
    COMETD_PLUGIN_ABI, "hello", create, destroy, outgoing, NULL, NULL,
};
const cometd_plugin_v1 *cometd_plugin_entry(void) { return &plugin; }
.EE
.PP
Build and use it:
.EX
cc \-shared \-fPIC \-o hello_plugin.so hello_plugin.c
cometd\-cli \-\-ext\-plugin ./hello_plugin.so subscribe URL /chat/a
.EE
.PP
A plugin that cannot be loaded, lacks a function or has another ABI version ends the run at
start with exit 78.
When a plugin returns something that is not a JSON array (or object, for headers) at run
time, that batch is dropped with a warning.
)ROFF";

constexpr const char* k_end = R"ROFF(.SH EXIT STATUS
.TP
.B 0
Done: \fB\-\-count\fR, \fB\-\-duration\fR or \fB\-\-idle\-timeout\fR reached; standard input
drained and every publish acknowledged; standard output closed by its reader (| head).
.TP
.B 1
A publish or every subscription rejected for a reason other than authentication (an invalid
replay id among them); a publish whose outcome is unknown because the connection was lost;
\fBpublish \-\-acks\fR whose standard output was closed before every line was published;
an internal error.
.TP
.B 64
Usage error.
.TP
.B 65
Bad standard input lines (after the good ones were published).
.TP
.B 66
A named file cannot be read (\fB\-\-cacert\fR, \fB\-\-cert\fR, \fB\-\-key\fR,
\fB\-\-replay\-store\fR).
.TP
.B 69
Server unavailable: no connection within \fB\-\-timeout\fR (refused connections and HTTP 5xx
are retried until then), a TLS failure, a proxy that refuses the CONNECT (502 to 504, the proxy
failing to reach the server, are retried), advice reconnect none, no connection type in common.
.TP
.B 73
The \fB\-\-replay\-store\fR file cannot be created or written at the start (a symbolic link
is not followed); the \fB\-\-trace\fR file cannot be created.
.TP
.B 74
A write error on standard output other than a closed pipe; a \fB\-\-replay\-store\fR write
that failed later (the positions of the last lines written are lost, and the run says so).
.TP
.B 75
The connection was lost and not re\-established within \fB\-\-timeout\fR.
.TP
.B 76
Protocol error: a reply that is not Bayeux (not a JSON array of messages, HTTP 4xx on the
handshake).
.TP
.B 77
Authentication or authorisation failure: at once without an auth source, else when the retry
after new credentials fails again; \fBprobe\fR: every handshake refused for authentication.
.TP
.B 78
A bad plugin (a missing file included) or configuration (a \fB\-\-replay\-store\fR that is not
a JSON object: it is left alone; an entry that is not an id is dropped with a warning).
.TP
.B 124
\fB\-\-duration\fR passed before \fB\-\-count\fR was reached; \fBcall\fR got no reply.
.TP
.BR 130 ", " 143
Interrupted by SIGINT or SIGTERM, after a clean /meta/disconnect.
.PP
When several apply, the first reason to end the run wins; at the end of standard input a
rejected publish (77, then 1) wins over bad lines (65).
.SH ENVIRONMENT
.TP
.B COMETD_URL
The server URL when none is given.
.TP
.B COMETD_TOKEN
A bearer token, as \fB\-\-bearer\fR.
.TP
.B NO_COLOR
When set and not empty, \fB\-o pretty\fR is not coloured (unless \fB\-\-color always\fR).
.TP
.BR HTTPS_PROXY ", " HTTP_PROXY ", " NO_PROXY
The proxy for https and wss URLs, for http and ws URLs, and the hosts that bypass it (curl's
rules); the lower\-case forms are read too, and win.
.SH SIGNALS
.TP
.BR SIGINT ", " SIGTERM
Stop fetching, send /meta/disconnect when a session exists (its reply is awaited at most 1 s),
write what was received, and exit 130 or 143.
A second SIGINT exits at once.
.TP
.B SIGPIPE
Ignored: a reader that goes away (| head \-1) ends the run with exit 0.
\fBpublish \-\-acks\fR then reads no more standard input, waits for the replies to the
publishes in flight, says on standard error how many lines were not published, and exits 1
unless every line was; \fBpublish\fR without \fB\-\-acks\fR writes nothing there and
goes on.
.SH EXAMPLES
Follow a channel tree and keep the data only:
.EX
cometd\-cli subscribe https://host/cometd '/chat/**' | jq \-c .data
.EE
.PP
Publish a file of events, one JSON object per line, and report each reply:
.EX
jq \-c '{channel:"/chat/a",data:.}' events.jsonl |
  cometd\-cli publish \-\-acks https://host/cometd > replies.jsonl
.EE
.PP
Forward what one server publishes to another:
.EX
cometd\-cli subscribe http://a/cometd '/feed/**' |
  cometd\-cli publish http://b/cometd
.EE
.PP
A cron job: one message, a short timeout, the exit status tells:
.EX
*/5 * * * * cometd\-cli \-q \-\-timeout 20s publish https://host/cometd /jobs/heartbeat '{"host":"web1"}'
.EE
.PP
Salesforce platform events with durable replay and a token from a helper:
.EX
cometd\-cli \-\-auth\-command 'sf org display \-\-json | jq \-r .result.accessToken' \e
  subscribe https://example.my.salesforce.com/cometd/59.0 /event/Order__e \e
  \-\-replay\-store ~/.orders.replay \-\-replay\-from \-2 \-o data
.EE
.PP
Debug a server: what it offers and what works, then every Bayeux message of a session:
.EX
cometd\-cli probe http://localhost:8080/cometd | jq .
cometd\-cli \-vv subscribe http://localhost:8080/cometd /chat/a \-C 1
.EE
.PP
A wire trace to attach to a bug report, then the slowest HTTP exchanges in it:
.EX
cometd\-cli \-\-trace trace.ndjson subscribe http://localhost:8080/cometd /chat/a
jq \-c 'select(.event == "http.response") | [.request, .status, .timing_us.total]' trace.ndjson |
  sort \-t, \-k3 \-n | tail
.EE

.SH SEE ALSO
.BR jq (1),
.BR curl (1),
.BR mosquitto_sub (1),
.BR kcat (1).
.PP
The Bayeux protocol: https://docs.cometd.org/current/reference/#_bayeux
)ROFF";

}  // namespace

std::string man_page() {
  std::string page = k_head;
  page.replace(page.find("VERSION"), 7, COMETD_VERSION);
  page += synopsis_section() + k_description + options_section() + k_rest +
          manual_diagnostics() + k_end;
  // Examples are indented from the text around them.
  for (std::size_t at = page.find(".EX\n"); at != std::string::npos; at = page.find(".EX\n", at + 9)) {
    page.insert(at, ".RS 4\n");
  }
  for (std::size_t at = page.find(".EE\n"); at != std::string::npos; at = page.find(".EE\n", at + 9)) {
    page.insert(at + 4, ".RE\n");
  }
  return page;
}

}  // namespace cometd
