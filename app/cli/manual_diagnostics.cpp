// cometd-cli(1), the sections for whoever debugs a connection: RECONNECTING (the rules of
// INTERFACE.md, "Reconnecting") and TRACE (the --trace records). Written in man(7) roff.
#include "cli/completion.hpp"

namespace cometd {

const char* manual_diagnostics() {
  return R"ROFF(.SH RECONNECTING
When a working connection fails, one line says so on standard error,
\(lqcometd\-cli: connection lost (REASON); reconnecting\(rq, and one more when a
\fB/meta/connect\fR succeeds again, \(lqcometd\-cli: reconnected after 3.2s\(rq, followed by
\(lq; new session, resubscribed N channels\(rq when the server had lost the session.
Both are hidden by \fB\-q\fR.
.PP
While the server refuses or resets connections (it is down or restarting), the client tries
again every 1 s \(+-50 % for the first 30 s of the outage, then backs off exponentially with
jitter up to 30 s.
HTTP 5xx replies, timeouts and rejections back off exponentially from 1 s to 30 s with jitter.
A session the server no longer knows (\fB402::session_unknown\fR, Faye's
\fB401::Unknown client\fR, \fBadvice.reconnect: handshake\fR) is handshaken again within a
random 0 to 500 ms, whatever its age; the storm guard (a growing backoff and one warning)
applies only after three sessions in a row died within 10 s of their handshake while the
server stayed reachable.
.PP
\fB\-\-timeout\fR bounds the first connection (exit 69) and, for \fBpublish\fR, \fBcall\fR
and \fBprobe\fR, the whole run.
A \fBsubscribe\fR that has connected keeps retrying a lost connection until it is back, unless
\fB\-\-timeout\fR was given explicitly: then it exits 75 after that long.
Publish requests read while the connection is down are held and sent once it is back; a
request that never left (the connection was refused) is not reported as unknown.
.SH TRACE
\fB\-\-trace FILE\fR writes one JSON object per line to FILE (created with mode 0600, or
emptied: it holds message data), or to standard error for \fB\-\fR.
Each record starts with \fBts\fR, the UTC time to the microsecond, and \fBevent\fR:
.TP
.B http.request
\fBtransport\fR, \fBlane\fR (\fBconnect\fR for the held /meta/connect, else
\fBrequest\fR), \fBrequest\fR (the number the Bayeux records name), \fBmethod\fR, \fBurl\fR,
\fBheaders\fR (\fB[["Name","value"],\&...]\fR) and \fBbody\fR.
.TP
.B http.response
\fBrequest\fR, \fBstatus\fR, \fBreason\fR, \fBheaders\fR, \fBbody\fR and \fBtiming_us\fR: \fBdns\fR,
\fBconnect\fR, \fBtls\fR, \fBfirst_byte\fR and \fBtotal\fR, microseconds from the start of
the request as curl's \fB\-w\fR times; a kept connection says \fB"reused":true\fR and has no
dns, connect or tls.
.TP
.B http.error
\fBrequest\fR, \fBerror\fR (the reason as standard error says it), \fBsent\fR and
\fBtiming_us\fR.
.TP
.BR ws.upgrade ", " ws.upgraded
The upgrade request (\fBurl\fR, \fBproxy\fR, \fBheaders\fR) and its answer (\fBstatus\fR,
\fBheaders\fR, and \fBbody\fR when it was refused).
.TP
.BR ws.out ", " ws.in
A text frame (\fBtext\fR); an outgoing one names its \fBrequest\fR.
.TP
.BR ws.close ", " ws.error
The close (\fBcode\fR and \fBreason\fR from the server, \fBlocal_code\fR, \fBby_client\fR) or
the failure (\fBerror\fR).
.TP
.BR bayeux.out ", " bayeux.in
One Bayeux \fBmessage\fR, with its \fBtransport\fR and \fBrequest\fR; a message received over
WebSocket follows the \fBws.in\fR frame that carried it.
.TP
.B session.*
\fBtransport\fR (one is opened), \fBhandshake\fR (\fBclientId\fR), \fBconnected\fR,
\fBlost\fR (\fBreason\fR), \fBreconnecting\fR (\fBstep\fR, \fBdelay_ms\fR, \fBreason\fR),
\fBreconnected\fR (\fBoutage_ms\fR, \fBnew_session\fR, \fBresubscribed\fR),
\fBcredentials\fR, \fBdisconnect\fR and \fBfailed\fR (\fBexit\fR, \fBreason\fR).
.PP
Secrets are redacted as at \fB\-vvv\fR: secret headers, JSON members and URL parameters
read \fB[redacted]\fR, cookies keep their names and attributes; bytes that are not UTF\-8
become U+FFFD.
A body or frame over 64 KiB is cut there, with its whole size in \fBbody_bytes\fR or
\fBtext_bytes\fR; its messages are all in the \fBbayeux\fR records.
Records reach the file about 10 ms after their event, so \fBtail \-f\fR follows a run.
A write error stops the trace with one line on standard error; the run goes on.
A server restart, as the session records tell it:
.EX
$ jq \-c 'select(.event | startswith("session."))' trace.ndjson
{"ts":"\&...:47.498587Z","event":"session.lost","reason":"cannot connect to 127.0.0.1:45703 (Connection refused)"}
{"ts":"\&...:47.498677Z","event":"session.reconnecting","step":"connect","delay_ms":1417,"reason":"\&..."}
{"ts":"\&...:50.315909Z","event":"session.reconnecting","step":"handshake","delay_ms":94,"reason":"/meta/connect: 402::session_unknown"}
{"ts":"\&...:50.413498Z","event":"session.handshake","clientId":"534b14c4\&...","transport":"long\-polling"}
{"ts":"\&...:50.415797Z","event":"session.reconnected","outage_ms":2917,"new_session":true,"resubscribed":1}
.EE
)ROFF";
}

}  // namespace cometd
