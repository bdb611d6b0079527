'use strict';
// A TCP proxy that cuts connections at random moments: each connection accepted on 127.0.0.1
// (free port or --port, printed on stdout) is piped to 127.0.0.1:--target and destroyed after
// a random lifetime between --min-ms and --max-ms. SIGUSR1 calms it down (no more cuts, for
// the end of a test); SIGUSR2 prints its counters on stderr.
const net = require('net');
const control = require('./control');

const target = parseInt(control.option('target'), 10);
const minMs = parseInt(control.option('min-ms', '50'), 10);
const maxMs = parseInt(control.option('max-ms', '1500'), 10);
let calm = false;
const stats = { connections: 0, cuts: 0 };
const live = new Set();

const server = net.createServer((client) => {
  stats.connections++;
  const upstream = net.connect(target, '127.0.0.1');
  const pair = { client, upstream, timer: null };
  live.add(pair);
  const drop = () => {
    clearTimeout(pair.timer);
    live.delete(pair);
    client.destroy();
    upstream.destroy();
  };
  client.on('error', drop);
  upstream.on('error', drop);
  client.on('close', drop);
  upstream.on('close', drop);
  client.pipe(upstream);
  upstream.pipe(client);
  if (!calm) {
    pair.timer = setTimeout(() => {
      if (!calm) {
        stats.cuts++;
        drop();
      }
    }, minMs + Math.random() * (maxMs - minMs));
  }
});

process.on('SIGUSR1', () => {
  calm = true;
  for (const pair of live) clearTimeout(pair.timer);
});
process.on('SIGUSR2', () => process.stderr.write(JSON.stringify(stats) + '\n'));
control.announce(server, 'chaos');
