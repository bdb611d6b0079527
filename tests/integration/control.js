'use strict';
// The control side shared by the test servers: counters and server-side publishing, over
// plain HTTP on the same port as the Bayeux endpoint (paths under /control/).
//
//   GET /control/stats                 counters as JSON
//   GET /control/reset                 zero the counters
//   GET /control/publish?channel=/x&n=N&size=B&from=F
//                                      publish N messages {"n":i,"pad":"…"}, i from F (1),
//                                      B bytes of pad, from the server side

const url = require('url');

function createStats() {
  return {
    handshakes: 0,
    connects: 0,
    subscribes: 0,
    disconnects: 0,
    publishes: 0,
    published: {},     // channel -> count of client publishes received
    http_status: {},   // status -> count of responses on the Bayeux endpoint
    first_connect_timeout: [], // advice.timeout sent on each first connect
  };
}

function countMessage(stats, message) {
  switch (message.channel) {
    case '/meta/handshake': stats.handshakes++; break;
    case '/meta/connect':
      stats.connects++;
      if (message.advice && 'timeout' in message.advice) {
        stats.first_connect_timeout.push(message.advice.timeout);
      }
      break;
    case '/meta/subscribe': stats.subscribes++; break;
    case '/meta/disconnect': stats.disconnects++; break;
    default:
      if (!message.channel.startsWith('/meta/')) {
        stats.publishes++;
        stats.published[message.channel] = (stats.published[message.channel] || 0) + 1;
      }
  }
}

// Records the status of every response to a Bayeux request.
function countStatus(stats, res) {
  const writeHead = res.writeHead;
  res.writeHead = function (status, ...rest) {
    stats.http_status[status] = (stats.http_status[status] || 0) + 1;
    return writeHead.call(this, status, ...rest);
  };
  const end = res.end;
  res.end = function (...args) {
    if (!res.headersSent) {
      stats.http_status[res.statusCode] = (stats.http_status[res.statusCode] || 0) + 1;
    }
    return end.apply(this, args);
  };
}

// Handles /control/* requests; `publish(channel, data)` publishes from the server side.
function handleControl(req, res, stats, publish) {
  const parsed = url.parse(req.url, true);
  const reply = (status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  switch (parsed.pathname) {
    case '/control/stats':
      return reply(200, stats);
    case '/control/reset':
      Object.assign(stats, createStats());
      return reply(200, stats);
    case '/control/publish': {
      const channel = parsed.query.channel;
      const n = parseInt(parsed.query.n || '1', 10);
      const from = parseInt(parsed.query.from || '1', 10);
      const pad = 'x'.repeat(parseInt(parsed.query.size || '0', 10));
      if (!channel) return reply(400, { error: 'channel required' });
      for (let i = from; i < from + n; i++) publish(channel, { n: i, pad });
      return reply(200, { published: n });
    }
    default:
      return reply(404, { error: 'unknown control path' });
  }
}

// Listens on 127.0.0.1, on --port or a free one, and prints the port as the first stdout line:
// the test script reads it.
function announce(server, name) {
  server.listen(parseInt(option('port', '0'), 10), '127.0.0.1', () => {
    process.stdout.write(JSON.stringify({ server: name, port: server.address().port }) + '\n');
  });
  const stop = () => { server.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function option(name, fallback) {
  const i = process.argv.indexOf('--' + name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function flag(name) {
  return process.argv.includes('--' + name);
}

module.exports = { createStats, countMessage, countStatus, handleControl, announce, option, flag };
