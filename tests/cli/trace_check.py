#!/usr/bin/env python3
"""Reads a --trace file as someone debugging a server restart would, and checks that it tells
the whole story, in order: the first session, the loss, the server's unknown-client reply (402
on the CometD Node server, 401 on Faye), the new handshake and the resubscription.

Usage: trace_check.py TRACE UNKNOWN-CODE TRANSPORT SECRET...
Exits 1 with the first thing missing; SECRET values must appear nowhere in the file.
"""
import json
import re
import sys

FAILURE = "the transport's failure when the server went away"
TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def fail(why):
    print(f"trace_check: {why}", file=sys.stderr)
    sys.exit(1)


def main():
    path, unknown_code, transport, *secrets = sys.argv[1:]
    text = open(path, encoding="utf-8").read()
    for secret in secrets:
        if secret in text:
            fail(f"the secret {secret!r} is in the trace")
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        try:
            record = json.loads(line)
        except ValueError as e:
            fail(f"line {number} is not JSON ({e}): {line[:200]}")
        if not isinstance(record, dict) or not TS.match(record.get("ts", "")) or \
                not record.get("event"):
            fail(f"line {number} has no ts or event: {line[:200]}")
        records.append(record)
    stamps = [r["ts"] for r in records]
    if stamps != sorted(stamps):
        fail("the records are not in time order")

    def message(r, channel):
        return r["event"] in ("bayeux.in", "bayeux.out") and \
            r.get("message", {}).get("channel") == channel

    wire_failure = ("http.error", "ws.close", "ws.error")
    first_id = {}

    def first_handshake(r):
        if r["event"] != "session.handshake":
            return False
        first_id["id"] = r["clientId"]
        return True

    # Each step: what it is, and a test of one record. Steps are matched in order; records in
    # between are allowed (the trace holds much more than the story).
    steps = [
        ("the first handshake", first_handshake),
        ("connected", lambda r: r["event"] == "session.connected"),
        (FAILURE, lambda r: r["event"] in wire_failure),
        ("the loss", lambda r: r["event"] == "session.lost" and r.get("reason")),
        ("a reconnect with its delay and reason",
         lambda r: r["event"] == "session.reconnecting" and isinstance(r.get("delay_ms"), int)
         and r.get("reason")),
        (f"the server's {unknown_code} for the old clientId",
         lambda r: message(r, "/meta/connect") and r["event"] == "bayeux.in" and
         r["message"].get("successful") is False and
         str(r["message"].get("error", "")).startswith(unknown_code + ":")),
        ("the decision to handshake again",
         lambda r: r["event"] == "session.reconnecting" and r.get("step") == "handshake"),
        ("the new /meta/handshake on the wire", lambda r: message(r, "/meta/handshake") and
         r["event"] == "bayeux.out" and r.get("transport") == transport),
        ("a new session",
         lambda r: r["event"] == "session.handshake" and r["clientId"] != first_id.get("id")),
        ("the resubscription on the wire",
         lambda r: message(r, "/meta/subscribe") and r["event"] == "bayeux.out"),
        ("the recovery", lambda r: r["event"] == "session.reconnected" and
         r.get("new_session") is True and r.get("resubscribed") == 1),
        ("a message delivered after the restart",
         lambda r: r["event"] == "bayeux.in" and "data" in r.get("message", {})),
    ]
    story = " ".join(r["event"] + ("(" + str(r["message"].get("channel")) + ")"
                                   if "message" in r else "") for r in records)
    at = 0
    for what, test in steps:
        while at < len(records) and not test(records[at]):
            at += 1
        if at == len(records):
            fail(f"no record of {what} (in order); the trace: {story[-3000:]}")
        if what == FAILURE:
            # The subscription was answered before the server went away (its reply and the
            # first connect's race on two connections).
            if not any(message(r, "/meta/subscribe") and r["event"] == "bayeux.in" and
                       r["message"].get("successful") is True for r in records[:at]):
                fail(f"no subscription before the failure; the trace: {story[-3000:]}")
        at += 1

    # Long-polling: every Bayeux message out names its request, and that request is in the
    # trace with its response or error. (On WebSocket a message handed over while the socket
    # opens leaves only once it is open: a refused upgrade leaves it without a frame.)
    requests = {r["request"] for r in records if r["event"] == "http.request"}
    answered = {r["request"] for r in records if r["event"] in ("http.response", "http.error")}
    for r in records:
        if r["event"] == "bayeux.out" and r["transport"] == "long-polling" and \
                r.get("request") not in requests:
            fail(f"bayeux.out of request {r.get('request')} rode on no traced request")
        # (A held connect cut short at the end may not be answered before the exit.)
        if r["event"] == "http.request" and r["request"] not in answered and \
                r.get("lane") != "connect":
            fail(f"http.request {r['request']} has neither response nor error")
        if r["event"] == "http.response" and "total" not in r.get("timing_us", {}):
            fail("an http.response without its timings")


if __name__ == "__main__":
    main()
