'use strict';
// A real Faye 1.4 server on 127.0.0.1 (free port, printed on stdout), mounted at /cometd,
// with the control endpoints of control.js. Options: --timeout SECONDS (connect hold, 45);
// --tls-cert FILE --tls-key FILE for HTTPS (and wss), with --client-ca FILE to require a
// client certificate signed by that CA.
//   --auth    a handshake needs a token starting with "good" (Authorization: Bearer, or
//             ext.auth.token); otherwise 401::Authentication required / invalid
//   --replay  Salesforce-style replay: GET /control/event?channel=/event/X&n=N publishes N
//             events {"event":{"replayId":ID},"payload":{"n":i}} with increasing, non-contiguous
//             ids, all retained; /meta/subscribe with ext.replay {"/event/X": -2 | -1 | ID}
//             replays all, none, or those after ID; an unknown ID fails the subscribe with 400
const fs = require('fs');
const http = require('http');
const https = require('https');
const faye = require('faye');
const control = require('./control');

const stats = control.createStats();
const bayeux = new faye.NodeAdapter({
  mount: '/cometd',
  timeout: parseFloat(control.option('timeout', '45')),
});
bayeux.addExtension({
  incoming(message, callback) {
    control.countMessage(stats, message);
    callback(message);
  },
});
const serverClient = bayeux.getClient();

if (control.flag('auth')) {
  stats.auth_tokens = [];
  bayeux.addExtension({
    incoming(message, request, callback) {
      // The server's own in-process client (control publishing) has no request.
      if (message.channel === '/meta/handshake' && request) {
        const header = (request && request.headers && request.headers.authorization) || '';
        const token = (header.startsWith('Bearer ') && header.slice(7)) ||
          (message.ext && message.ext.auth && message.ext.auth.token) || null;
        stats.auth_tokens.push(token);
        if (!token) message.error = '401::Authentication required';
        else if (!token.startsWith('good')) message.error = '401::Authentication invalid';
      }
      callback(message);
    },
  });
}

const retained = new Map();  // channel -> [{ replayId, data }]
const replays = new Map();   // clientId + channel -> events to replay once subscribed
let nextReplayId = 1000;
if (control.flag('replay')) {
  bayeux.addExtension({
    incoming(message, callback) {
      if (message.channel === '/meta/handshake') {
        message.ext = message.ext || {};
      } else if (message.channel === '/meta/subscribe') {
        const positions = (message.ext && message.ext.replay) || {};
        const from = positions[message.subscription];
        const events = retained.get(message.subscription) || [];
        if (from === -2) {
          replays.set(message.clientId + message.subscription, events.slice());
        } else if (from !== undefined && from !== -1) {
          const at = events.findIndex((e) => e.replayId === from);
          if (at < 0) {
            message.error = '400::The replayId {' + from + '} you provided was invalid. ' +
              'Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.';
          } else {
            replays.set(message.clientId + message.subscription, events.slice(at + 1));
          }
        }
      }
      callback(message);
    },
    outgoing(message, callback) {
      if (message.channel === '/meta/handshake' && message.successful) {
        message.ext = Object.assign(message.ext || {}, { replay: true, 'payload.format': true });
      }
      callback(message);
    },
  });
  bayeux.on('subscribe', (clientId, channel) => {
    const events = replays.get(clientId + channel);
    replays.delete(clientId + channel);
    for (const e of events || []) serverClient.publish(channel, e.data);
  });
}

const handler = (req, res) => {
  if (req.url.startsWith('/control/event?')) {
    // A retained Salesforce-style event: ids increase by 1 to 3 (opaque, not contiguous).
    const q = new URL(req.url, 'http://x').searchParams;
    const channel = q.get('channel');
    const n = parseInt(q.get('n') || '1', 10);
    const list = retained.get(channel) || [];
    retained.set(channel, list);
    const ids = [];
    for (let i = 0; i < n; i++) {
      nextReplayId += 1 + Math.floor(Math.random() * 3);
      const data = { event: { replayId: nextReplayId }, payload: { n: list.length + 1 } };
      list.push({ replayId: nextReplayId, data });
      ids.push(nextReplayId);
      serverClient.publish(channel, data);
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify({ ids }));
  }
  control.handleControl(req, res, stats, (channel, data) => serverClient.publish(channel, data));
};
const tlsCert = control.option('tls-cert');
const clientCa = control.option('client-ca');
const server = tlsCert
  ? https.createServer({
    cert: fs.readFileSync(tlsCert),
    key: fs.readFileSync(control.option('tls-key')),
    ca: clientCa ? fs.readFileSync(clientCa) : undefined,
    requestCert: !!clientCa,
    rejectUnauthorized: !!clientCa,
  }, handler)
  : http.createServer(handler);
// A WebSocket upgrade anywhere but /cometd gets a 404, as from any web server (Faye's attach()
// would otherwise leave such a socket hanging).
server.on('upgrade', (req, socket) => {
  socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
});
bayeux.attach(server);
// attach() moved our listener behind Faye's: count the statuses of its responses first.
server.prependListener('request', (req, res) => {
  if (req.url.startsWith('/cometd')) control.countStatus(stats, res);
});
control.announce(server, 'faye');
