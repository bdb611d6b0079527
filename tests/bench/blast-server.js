'use strict';
// The blast server: the client's own ceiling. Every /meta/connect is answered at once with a
// prebuilt array of 1000 messages of about 100 bytes, over long-polling and WebSocket alike,
// so that the server is never the bottleneck. 127.0.0.1, a free port printed on stdout.
const http = require('http');
const WebSocket = require('faye-websocket');

const BATCH = 1000;
let serial = 0;
const messages = [];
for (let i = 0; i < BATCH; i++) {
  // {"channel":"/blast","data":{"n":123,"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}} ≈ 100 B
  messages.push(JSON.stringify({ channel: '/blast', data: { n: i, pad: 'x'.repeat(60) } }));
}
const deliveries = messages.join(',');

function answer(text) {
  const out = [];
  let blast = false;
  for (const m of JSON.parse(text)) {
    const reply = { id: m.id, channel: m.channel, successful: true };
    if (m.channel === '/meta/handshake') {
      Object.assign(reply, { clientId: 'blast-' + ++serial, version: '1.0',
        supportedConnectionTypes: ['websocket', 'long-polling'],
        advice: { reconnect: 'retry', interval: 0, timeout: 30000 } });
    } else if (m.channel === '/meta/subscribe') {
      reply.subscription = m.subscription;
    } else if (m.channel === '/meta/connect') {
      blast = true;
    }
    out.push(JSON.stringify(reply));
  }
  return '[' + out.join(',') + (blast ? ',' + deliveries : '') + ']';
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = answer(Buffer.concat(chunks).toString());
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.on('upgrade', (req, socket, head) => {
  const ws = new WebSocket(req, socket, head);
  ws.on('message', (event) => ws.send(answer(event.data)));
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n'));
process.on('SIGTERM', () => process.exit(0));
