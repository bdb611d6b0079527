'use strict';
// Benchmark anchor: the Faye Node client (npm faye), with the same modes as cometd-anchor.mjs:
//   node faye-anchor.js receive|publish|oneshot|roundtrip URL CHANNEL [N|DATA] [TRANSPORT]
const faye = require('faye');
const readline = require('readline');

const [mode, url, channel, arg, transport] = process.argv.slice(2);
const client = new faye.Client(url, { timeout: 45 });
const others = ['websocket', 'long-polling', 'cross-origin-long-polling', 'callback-polling',
  'eventsource', 'in-process'];
// Faye always handshakes over HTTP and then moves to WebSocket: for "websocket" it keeps
// long-polling for the handshake.
const keep = transport === 'websocket' ? ['websocket', 'long-polling'] : [transport];
if (transport) for (const t of others) if (!keep.includes(t)) client.disable(t);
const done = (code = 0) => {
  client.disconnect();
  // process.exit() drops what a pipe has not taken yet: exit once stdout has flushed.
  setImmediate(() => process.stdout.write('', () => process.exit(code)));
};
const fail = (what, error) => {
  process.stderr.write(`faye-anchor: ${what}: ${error && error.message}\n`);
  process.exit(1);
};
const now = () => Number(process.hrtime.bigint()) / 1e6;

if (mode === 'receive') {
  const n = parseInt(arg, 10);
  let received = 0;
  const out = [];
  const flush = () => {
    process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  };
  client.subscribe(channel, (data) => {
    // Printed as they arrive, like a tail client: the lines of one turn of the event loop
    // in one write (as cometd-cli does with the frames of one read).
    out.push(JSON.stringify({ channel, data }));
    if (out.length === 1) setImmediate(flush);
    if (++received === n) setImmediate(done);
  }).then(() => process.stderr.write('ready\n'), (e) => fail('subscribe', e));
} else if (mode === 'publish') {
  let pending = 0;
  let eof = false;
  const lines = readline.createInterface({ input: process.stdin });
  lines.on('line', (line) => {
    if (!line.trim()) return;
    pending++;
    client.publish(channel, JSON.parse(line)).then(() => {
      if (--pending === 0 && eof) done();
    }, (e) => fail('publish', e));
  });
  lines.on('close', () => {
    eof = true;
    if (pending === 0) done();
  });
} else if (mode === 'oneshot') {
  client.publish(channel, JSON.parse(arg)).then(() => done(), (e) => fail('publish', e));
} else if (mode === 'roundtrip') {
  const n = parseInt(arg, 10);
  const latencies = [];
  let sentAt = 0;
  const next = () => {
    if (latencies.length === n) {
      latencies.sort((a, b) => a - b);
      const at = (q) => latencies[Math.min(n - 1, Math.floor(q * n))];
      process.stdout.write(JSON.stringify({ p50_ms: at(0.5), p99_ms: at(0.99) }) + '\n');
      return done();
    }
    sentAt = now();
    client.publish(channel, { i: latencies.length });
  };
  client.subscribe(channel, () => {
    latencies.push(now() - sentAt);
    next();
  }).then(next, (e) => fail('subscribe', e));
}
