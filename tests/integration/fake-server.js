'use strict';
// A scripted Bayeux server for the faults no real server produces on demand. It speaks enough
// Bayeux over long-polling and WebSocket to hold a session, and misbehaves as --script says.
// It listens on 127.0.0.1 (free port or --port, printed on stdout) at /cometd, with
// GET /control/stats (counters and connect times).
//
// Scripts:
//   ok               a well-behaved server (the baseline)
//   garbage          every reply is "this is not JSON"
//   not-array        every reply is a JSON object, not an array
//   truncated        every reply is cut in the middle of the JSON
//   invalid-utf8     the connect reply holds a string with an invalid UTF-8 byte
//   html-500         every request gets HTTP 500 with an HTML page
//   html-200         every request (and WebSocket message) gets an HTML page of several lines
//   http-401         every request gets HTTP 401
//   drop             connects are answered with half a body, then the socket is destroyed
//   silent           accepts every request and never answers (WebSocket: upgrades, then silence)
//   handshake-none   the handshake is refused with advice reconnect none
//   reconnect-none   the first connect is refused with advice reconnect none
//   storm-402        every connect says 402::session_unknown, advice handshake
//   expire-once      the second connect says 402::session_unknown; then all is well again
//   deny-resubscribe subscriptions succeed once; after the session expires they are denied
//   multiple-clients every connect reply carries multiple-clients advice, interval 2000
//   flaky            handshake and first connect fine, every later connect gets HTTP 503
//   no-disconnect    a normal server that never answers /meta/disconnect
//   fidelity         the first connect reply delivers numbers, escapes and big integers
//   bad-message      the first connect reply holds malformed messages among good ones
//   huge             the first connect reply delivers one 5 MB message
//   stall            advises maxInterval 2000 and delivers 2,000 messages of 1 KB, 100 a reply
//   ack              the acknowledgement extension: 5 messages, one batch per connect reply;
//                    stats.acks lists the ext.ack of every connect received
//   timesync         answers ext.timesync with a server clock 5 s ahead; stats.timesync lists
//                    the ext.timesync of the requests
//   escape           terminal escapes in what the client prints: subscriptions to /deny/* are
//                    refused with an error string holding ESC, BEL and CR; on WebSocket, the
//                    first connect after a subscription to /close/* is answered by closing
//                    the socket with such a close reason
//   escape-body      every reply is HTTP 200 with a body of terminal escapes, not JSON
//   secrets          the handshake reply's ext holds secrets: {"auth":{"token":…},"apiKey":…,
//                    "jwt":…,"signature":…,"accessKey":…}, all values starting SRV-SECRET
//   cookies          every HTTP reply sets 60 cookies c0..c59 (100 bytes each), one of 5000
//                    bytes, and far=1 / far2=1 with far-future Max-Age / Expires; the first
//                    WebSocket upgrade sets ws_jar=1 and is closed at once; stats.cookies lists
//                    the Cookie header lines of every request and upgrade (raw, in order)
//
// --delay MS holds every handshake reply that long (a slow server, for probe's thresholds).
// Every script delivers a publish back to the publishing session when it subscribed to that
// very channel (probe's round trip).
const http = require('http');
const WebSocket = require('faye-websocket');
const control = require('./control');

const script = control.option('script', 'ok');
const DELAY_MS = parseInt(control.option('delay', '0'), 10);
const HOLD_MS = 2000;
const stats = {
  script,
  requests: 0,
  handshakes: 0,
  connects: 0,
  subscribes: 0,
  disconnects: 0,
  publishes: 0,
  websockets: 0,
  connect_times: [],
  acks: [],
  timesync: [],
  cookies: [],
};
const ESCAPES = '\u001b]0;owned\u0007\u001b[2K\rcometd-cli: subscribed OK';
let closedOnce = false;

// The Cookie header lines of a request, as they came (Node joins repeated ones).
function cookieLines(req) {
  const lines = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() === 'cookie') lines.push(req.rawHeaders[i + 1]);
  }
  return lines;
}
let nextClient = 1;
const sessions = new Map();  // clientId -> { deliveries: [], waiting: callback|null }
let subscribeCount = 0;

function reply(message, fields) {
  return Object.assign({ id: message.id, channel: message.channel }, fields);
}

function handshakeReply(message) {
  const clientId = 'fake-' + nextClient++;
  sessions.set(clientId, { deliveries: [], waiting: null, connects: 0 });
  const advice = { reconnect: 'retry', interval: 0, timeout: HOLD_MS };
  if (script === 'stall') advice.maxInterval = 2000;
  const ext = script === 'secrets' ? {
    auth: { token: 'SRV-SECRET-1' }, apiKey: 'SRV-SECRET-2', jwt: 'SRV-SECRET-3',
    signature: 'SRV-SECRET-4', accessKey: 'SRV-SECRET-5', password: 424242,
  } : undefined;
  return reply(message, {
    successful: true, clientId, version: '1.0',
    supportedConnectionTypes: ['long-polling', 'websocket'], advice, ext,
  });
}

function firstDeliveries(session) {
  switch (script) {
    case 'fidelity':
      return ['{"channel":"/fidelity/a","data":{"f":1.0,"u":"\\u00e9","big":123456789012345678901234567890,"e":1E+2,"s":"a  b","n":null},"id":"x1"}'];
    case 'bad-message':
      return ['{"data":1}', '{"channel":5,"data":2}', '{"channel":"/bad/ok","data":{"good":true}}'];
    case 'huge':
      return [JSON.stringify({ channel: '/huge/a', data: { blob: 'x'.repeat(5 * 1024 * 1024) } })];
    case 'invalid-utf8':
      return ['{"channel":"/utf8/a","data":"\xff\xfe"}'];
    case 'ack': {
      const out = [];
      for (let i = 1; i <= 5; i++) out.push(JSON.stringify({ channel: '/ack/a', data: { n: i } }));
      return out;
    }
    case 'stall': {
      const out = [];
      for (let i = 1; i <= 2000; i++) out.push(JSON.stringify({ channel: '/stall/a', data: { n: i, pad: 'y'.repeat(1000) } }));
      return out;
    }
    default:
      return [];
  }
}

// Answers one batch of messages; `send(text)` writes the JSON text of the reply array, or
// is never called (silent). Returns nothing.
// The ext of a reply to `m`, for the ack and timesync scripts.
function replyExt(m, session) {
  const ext = {};
  if (script === 'timesync' && m.channel.startsWith('/meta/') && m.ext && m.ext.timesync) {
    stats.timesync.push(m.ext.timesync);
    ext.timesync = { tc: m.ext.timesync.tc, ts: Date.now() + 5000, p: 0, a: 0 };
  }
  if (script === 'ack' && m.channel === '/meta/handshake' && m.ext && m.ext.ack === true) {
    ext.ack = true;
  }
  if (script === 'ack' && m.channel === '/meta/connect' && session) {
    ext.ack = session.batch || 0;
  }
  return Object.keys(ext).length ? { ext } : {};
}

function handle(messages, send) {
  const out = [];
  let hold = null;  // the connect message, when the reply waits
  for (const m of messages) {
    if (script === 'ack' && m.channel === '/meta/connect' && m.ext && 'ack' in m.ext) {
      stats.acks.push(m.ext.ack);
    }
    const session = sessions.get(m.clientId);
    switch (m.channel) {
      case '/meta/handshake':
        stats.handshakes++;
        if (script === 'handshake-none') {
          out.push(reply(m, { successful: false, error: '503::overloaded', advice: { reconnect: 'none' } }));
        } else {
          out.push(Object.assign(handshakeReply(m), replyExt(m, null)));
        }
        break;
      case '/meta/connect': {
        stats.connects++;
        stats.connect_times.push(Date.now());
        if (!session) {
          out.push(reply(m, { successful: false, error: '402::session_unknown', advice: { reconnect: 'handshake', interval: 0 } }));
          break;
        }
        session.connects++;
        if (script === 'storm-402' || (script === 'expire-once' && stats.connects === 2) ||
            (script === 'deny-resubscribe' && stats.connects === 2)) {
          sessions.delete(m.clientId);
          out.push(reply(m, { successful: false, error: '402::session_unknown', advice: { reconnect: 'handshake', interval: 0 } }));
          break;
        }
        if (script === 'reconnect-none') {
          out.push(reply(m, { successful: false, error: '500::shutting down', advice: { reconnect: 'none' } }));
          break;
        }
        if (script === 'multiple-clients') {
          out.push(reply(m, { successful: true, advice: { 'multiple-clients': true, reconnect: 'retry', interval: 2000 } }));
          break;
        }
        if (session.connects === 1) {
          out.push(reply(m, Object.assign({ successful: true, advice: { reconnect: 'retry', interval: 0, timeout: HOLD_MS } }, replyExt(m, session))));
          break;
        }
        hold = { message: m, session };
        break;
      }
      case '/meta/subscribe':
        stats.subscribes++;
        subscribeCount++;
        if (script === 'escape' && session && m.subscription.startsWith('/close')) {
          session.closeMe = true;
        }
        if (script === 'escape' && m.subscription.startsWith('/deny')) {
          out.push(reply(m, { successful: false, error: '403::' + ESCAPES, subscription: m.subscription }));
        } else if (script === 'deny-resubscribe' && subscribeCount > 1) {
          out.push(reply(m, { successful: false, error: '403::subscribe_denied', subscription: m.subscription }));
        } else {
          out.push(reply(m, Object.assign({ successful: true, subscription: m.subscription }, replyExt(m, session))));
          if (session) (session.channels = session.channels || new Set()).add(m.subscription);
          if (session && !session.delivered) {
            // The script's deliveries, once per session, to a held connect if there is one.
            session.delivered = true;
            session.deliveries.push(...firstDeliveries(session));
            const waiting = session.waiting;
            if (waiting && session.deliveries.length > 0) {
              setImmediate(() => { if (session.waiting === waiting) waiting(); });
            }
          }
        }
        break;
      case '/meta/disconnect':
        stats.disconnects++;
        if (script === 'no-disconnect') return;  // never answered
        sessions.delete(m.clientId);
        out.push(reply(m, { successful: true }));
        break;
      default:
        stats.publishes++;
        out.push(reply(m, { successful: true }));
        if (session && session.channels && session.channels.has(m.channel)) {
          session.deliveries.push(JSON.stringify({ channel: m.channel, data: m.data }));
          const waiting = session.waiting;
          if (waiting) setImmediate(() => { if (session.waiting === waiting) waiting(); });
        }
    }
  }
  const delay = DELAY_MS > 0 && messages.some((m) => m.channel === '/meta/handshake') ? DELAY_MS : 0;
  const finish = (extra) => {
    const text = '[' + out.map((o) => JSON.stringify(o)).concat(extra).join(',') + ']';
    if (delay > 0) setTimeout(() => send(text), delay); else send(text);
  };
  if (!hold) {
    finish([]);
    return;
  }
  const { message, session } = hold;
  const respond = () => {
    session.waiting = null;
    // stall: 100 messages a reply, so that the client sees many batches; ack: one a batch
    const limit = script === 'stall' ? 100 : script === 'ack' ? 1 : session.deliveries.length;
    const deliveries = session.deliveries.splice(0, limit);
    if (script === 'ack' && deliveries.length > 0) session.batch = (session.batch || 0) + 1;
    out.push(reply(message, Object.assign({ successful: true }, replyExt(message, session))));
    finish(deliveries);
  };
  if (session.deliveries.length > 0) {
    respond();
  } else {
    session.waiting = respond;
    setTimeout(() => { if (session.waiting === respond) respond(); }, HOLD_MS);
  }
}

const HTML_PAGE = '<html>\n<body>It works!</body>\n</html>\n';

function faultyHttp(res) {
  switch (script) {
    case 'garbage':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('this is not JSON');
      return true;
    case 'not-array':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"channel":"/meta/handshake","successful":true}');
      return true;
    case 'truncated':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('[{"id":"1","channel":"/meta/hand');
      return true;
    case 'html-500':
      res.writeHead(500, { 'Content-Type': 'text/html' });
      res.end('<html><body>Internal Server Error</body></html>');
      return true;
    case 'html-200':
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(HTML_PAGE);
      return true;
    case 'http-401':
      res.writeHead(401, { 'Content-Type': 'text/plain' });
      res.end('authentication required');
      return true;
    case 'silent':
      return true;  // never answered
    case 'escape-body':
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(ESCAPES + '\r\n');
      return true;
    default:
      return false;
  }
}

const server = http.createServer((req, res) => {
  if (req.url.startsWith('/control/stats')) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  let body = '';
  req.setEncoding('latin1');  // bytes as they are: invalid-utf8 must reach the client intact
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    stats.requests++;
    if (script === 'cookies') {
      stats.cookies.push(cookieLines(req));
      const set = [];
      for (let i = 0; i < 60; i++) set.push('c' + i + '=' + 'v'.repeat(100) + '; Path=/');
      set.push('big=' + 'b'.repeat(5000));
      set.push('far=1; Max-Age=99999999999999999999');
      set.push('far2=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT');
      res.setHeader('Set-Cookie', set);
    }
    if (faultyHttp(res)) return;
    let messages;
    try {
      messages = JSON.parse(Buffer.from(body, 'latin1').toString('utf8'));
    } catch (e) {
      res.writeHead(400);
      res.end();
      return;
    }
    if (!Array.isArray(messages)) messages = [messages];
    const isConnect = messages.some((m) => m.channel === '/meta/connect');
    if (script === 'drop' && isConnect) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '1000' });
      res.write('[{"id":"');
      setTimeout(() => res.socket.destroy(), 50);
      return;
    }
    if (script === 'flaky' && isConnect && stats.connects >= 1) {
      stats.connects++;
      res.writeHead(503);
      res.end();
      return;
    }
    handle(messages, (text) => {
      const bytes = Buffer.from(text, 'latin1');
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': bytes.length });
      res.end(bytes);
    });
  });
});

server.on('upgrade', (req, socket, body) => {
  if (!WebSocket.isWebSocket(req)) return socket.destroy();
  stats.websockets++;
  if (script === 'cookies') stats.cookies.push(cookieLines(req));
  const first = stats.websockets === 1;
  const options = script === 'cookies' && first ?
    { headers: { 'Set-Cookie': 'ws_jar=1; Max-Age=99999999999999999999' } } : {};
  const ws = new WebSocket(req, socket, body, [], options);
  if (script === 'cookies' && first) {
    ws.on('open', () => ws.close());  // the client comes back with the cookie it was given
    return;
  }
  ws.on('message', (event) => {
    stats.requests++;
    if (script === 'silent') return;
    if (script === 'garbage') return ws.send('this is not JSON');
    if (script === 'html-200') return ws.send(HTML_PAGE);
    if (script === 'not-array') return ws.send('{"channel":"/meta/connect"}');
    let messages;
    try {
      messages = JSON.parse(event.data);
    } catch (e) {
      return ws.close(1003, 'bad JSON');
    }
    if (!Array.isArray(messages)) messages = [messages];
    if (script === 'escape' && !closedOnce && messages.some((m) => m.channel === '/meta/connect' &&
        (sessions.get(m.clientId) || {}).closeMe)) {
      closedOnce = true;  // the first held connect: a close reason with escapes (at most 123 bytes)
      return ws.close(4000, ESCAPES);
    }
    handle(messages, (text) => ws.send(text));
  });
});

control.announce(server, 'fake-' + script);
