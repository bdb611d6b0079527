'use strict';
// Publish-to-self round trips through cometd-cli: `subscribe -i` publishes what it reads on
// stdin and writes what it receives; this driver sends one message, waits for it to come back,
// and sends the next. Prints {"p50_ms","p99_ms"} like the anchors.
//   node cli-roundtrip.js CLI URL CHANNEL N TRANSPORT
const { spawn } = require('child_process');
const readline = require('readline');

const [cli, url, channel, n, transport] = process.argv.slice(2);
const child = spawn(cli, ['-v', '--connection-type', transport, 'subscribe', url, channel, '-i'],
  { stdio: ['pipe', 'pipe', 'pipe'] });
const now = () => Number(process.hrtime.bigint()) / 1e6;
const latencies = [];
let sentAt = 0;
const send = () => {
  sentAt = now();
  child.stdin.write(JSON.stringify({ channel, data: { i: latencies.length } }) + '\n');
};
readline.createInterface({ input: child.stderr }).on('line', (line) => {
  if (line.includes('subscribed to') && latencies.length === 0 && sentAt === 0) send();
});
readline.createInterface({ input: child.stdout }).on('line', () => {
  latencies.push(now() - sentAt);
  if (latencies.length < Number(n)) return send();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  process.stdout.write(JSON.stringify({ p50_ms: at(0.5), p99_ms: at(0.99) }) + '\n');
  child.kill('SIGINT');
});
child.on('exit', () => process.exit(latencies.length >= Number(n) ? 0 : 1));
