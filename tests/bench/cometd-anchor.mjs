// Benchmark anchor: the official CometD JavaScript client (npm cometd + cometd-nodejs-client),
// used as an application would use it, with autoBatch.
//
//   node cometd-anchor.mjs receive   URL CHANNEL N  [TRANSPORT]   N messages as JSON lines
//   node cometd-anchor.mjs publish   URL CHANNEL    [TRANSPORT]   each stdin line as data
//   node cometd-anchor.mjs oneshot   URL CHANNEL DATA [TRANSPORT] handshake, publish, disconnect
//   node cometd-anchor.mjs roundtrip URL CHANNEL N  [TRANSPORT]   publish-to-self latencies
// TRANSPORT: websocket or long-polling (default: the client's own choice). "ready" goes to
// stderr once subscribed; results of roundtrip go to stdout as {"p50_ms","p99_ms"}.
import { adapt } from 'cometd-nodejs-client';
import { CometD } from 'cometd';
import readline from 'node:readline';

adapt();
const [mode, url, channel, arg, transport] = process.argv.slice(2);
const cometd = new CometD();
cometd.configure({ url, logLevel: 'warn', autoBatch: true });
if (transport === 'long-polling') {
  cometd.unregisterTransport('websocket');
} else if (transport === 'websocket') {
  cometd.unregisterTransport('long-polling');
  cometd.unregisterTransport('callback-polling');
}
// process.exit() drops what a pipe has not taken yet: exit once stdout has flushed.
const exit = (code) => process.stdout.write('', () => process.exit(code));
const done = (code = 0) => cometd.disconnect(() => exit(code));
const fail = (what, reply) => {
  process.stderr.write(`cometd-anchor: ${what}: ${JSON.stringify(reply)}\n`);
  process.exit(1);
};
const now = () => Number(process.hrtime.bigint()) / 1e6;

cometd.handshake((reply) => {
  if (!reply.successful) fail('handshake', reply);
  if (mode === 'receive') {
    const n = parseInt(arg, 10);
    let received = 0;
    const out = [];
    const flush = () => {
      process.stdout.write(out.join('\n') + '\n');
      out.length = 0;
    };
    cometd.subscribe(channel, (message) => {
      // Printed as they arrive, like a tail client: the lines of one turn of the event loop
      // in one write (as cometd-cli does with the frames of one read).
      out.push(JSON.stringify(message));
      if (out.length === 1) setImmediate(flush);
      if (++received === n) setImmediate(done);
    }, (sub) => (sub.successful ? process.stderr.write('ready\n') : fail('subscribe', sub)));
  } else if (mode === 'publish') {
    let pending = 0;
    let eof = false;
    const lines = readline.createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (!line.trim()) return;
      pending++;
      cometd.publish(channel, JSON.parse(line), (r) => {
        if (!r.successful) fail('publish', r);
        if (--pending === 0 && eof) done();
      });
    });
    lines.on('close', () => {
      eof = true;
      if (pending === 0) done();
    });
  } else if (mode === 'oneshot') {
    cometd.publish(channel, JSON.parse(arg), (r) => (r.successful ? done() : fail('publish', r)));
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
      cometd.publish(channel, { i: latencies.length });
    };
    cometd.subscribe(channel, () => {
      latencies.push(now() - sentAt);
      next();
    }, (sub) => (sub.successful ? next() : fail('subscribe', sub)));
  }
});
