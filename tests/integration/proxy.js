'use strict';
// A small HTTP proxy for the tests, on 127.0.0.1 (free port, printed on stdout): CONNECT
// tunnels (https, ws, wss) and absolute-form requests (plain http). It only reaches loopback
// targets. GET /stats (origin form) answers its own counters.
const http = require('http');
const net = require('net');
const control = require('./control');

const stats = { connect: 0, forward: 0, refused: 0 };
const loopback = (host) => host === '127.0.0.1' || host === 'localhost' || host === '::1';

const server = http.createServer((req, res) => {
  if (req.url === '/stats') {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    return res.end(JSON.stringify(stats));
  }
  let target;
  try {
    target = new URL(req.url);
  } catch (e) {
    res.writeHead(400);
    return res.end();
  }
  if (!loopback(target.hostname)) {
    stats.refused++;
    res.writeHead(403);
    return res.end();
  }
  stats.forward++;
  const headers = { ...req.headers };
  delete headers['proxy-authorization'];
  delete headers['proxy-connection'];
  const upstream = http.request({
    host: target.hostname, port: target.port, method: req.method,
    path: target.pathname + target.search, headers,
  }, (up) => {
    res.writeHead(up.statusCode, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => { res.writeHead(502); res.end(); });
  req.pipe(upstream);
});

server.on('connect', (req, client, head) => {
  const [host, port] = req.url.split(':');
  if (!loopback(host)) {
    stats.refused++;
    client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    return;
  }
  stats.connect++;
  const upstream = net.connect(parseInt(port, 10), host, () => {
    client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head && head.length) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  const drop = () => { upstream.destroy(); client.destroy(); };
  upstream.on('error', drop);
  client.on('error', drop);
});

control.announce(server, 'proxy');
