'use strict';
// The echo server: what `bench` itself adds to the latency it reports. A WebSocket-only Bayeux
// server that delivers each publish to its channel's subscribers as soon as the frame is read,
// and takes its own time out of the figure: the delivery's data.t (the publisher's intended
// send time, ns) is moved later by exactly the time the message spent inside this process.
// What bench then measures is the client's own work on both sides (the schedule to the socket,
// the socket to the recorded delivery) plus two loopback hops and the time the frame waited in
// this server's socket before Node read it: an upper bound of the client's contribution.
// 127.0.0.1, a free port printed on stdout; `ws` from tests/bench/node_modules.
const http = require('http');
const { WebSocketServer } = require('ws');

let serial = 0;
const subscribers = new Map(); // channel -> Set of sockets

function deliver(ws, message, arrived) {
  const data = message.data;
  const targets = subscribers.get(message.channel);
  if (targets && data && typeof data.t === 'number') {
    const intended = data.t;
    for (const target of targets) {
      // Residence time, measured at the last moment before the frame is handed to the socket.
      data.t = intended + Number(process.hrtime.bigint() - arrived);
      target.send('[' + JSON.stringify({ channel: message.channel, data }) + ']');
    }
  }
}

function answer(ws, text, arrived) {
  const replies = [];
  const publishes = [];
  for (const m of JSON.parse(text)) {
    const reply = { id: m.id, channel: m.channel, successful: true };
    if (m.channel === '/meta/handshake') {
      Object.assign(reply, { clientId: 'echo-' + ++serial, version: '1.0',
        supportedConnectionTypes: ['websocket'],
        advice: { reconnect: 'retry', interval: 0, timeout: 20000 } });
    } else if (m.channel === '/meta/connect') {
      const first = m.advice && m.advice.timeout === 0;
      if (!first) {
        // Held, as a real server holds it: answered when advice.timeout has passed.
        setTimeout(() => ws.readyState === 1 && ws.send(JSON.stringify([reply])), 20000);
        continue;
      }
      reply.advice = { reconnect: 'retry', interval: 0, timeout: 20000 };
    } else if (m.channel === '/meta/subscribe') {
      reply.subscription = m.subscription;
      for (const channel of [].concat(m.subscription)) {
        if (!subscribers.has(channel)) subscribers.set(channel, new Set());
        subscribers.get(channel).add(ws);
      }
    } else if (m.channel === '/meta/disconnect') {
      // nothing to keep
    } else {
      publishes.push(m);
    }
    replies.push(reply);
  }
  for (const m of publishes) deliver(ws, m, arrived);
  if (replies.length) ws.send(JSON.stringify(replies));
}

const server = http.createServer((req, res) => { res.writeHead(400); res.end(); });
const wss = new WebSocketServer({ server, perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.on('message', (data) => answer(ws, data.toString(), process.hrtime.bigint()));
  ws.on('close', () => { for (const set of subscribers.values()) set.delete(ws); });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n'));
process.on('SIGTERM', () => process.exit(0));
