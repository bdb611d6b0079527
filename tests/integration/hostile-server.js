'use strict';
// Hostile servers and proxies for tests/cli/66x-*.sh, on loopback, one mode per process. It
// prints {"port":N} on stdout like the other servers here; with --log FILE it appends one JSON
// line per event (a request head it received, a connection it accepted).
//
//   bayeux                 a minimal Bayeux responder (every message answered successful),
//                          --tls-cert/--tls-key for https, --host ::1 for IPv6
//   record-proxy           logs each request head; CONNECT → 403, anything else → 502
//   refuse-proxy           answers CONNECT with "HTTP/1.0 STATUS" + Connection: close
//   silent                 accepts and never answers (a stalled TLS or HTTP peer)
//   gzip-bomb              a 200 whose gzip body inflates to --inflate MB of spaces
//   chunked-endless        a 200 with a chunked body that never ends
//   headers-endless        a 200 whose headers never end
//   ws-big-frame           accepts the WebSocket upgrade, then a frame announcing 1 GB
//   echo-request           logs each request head (WebSocket upgrade included), answers 400
const net = require('net');
const tls = require('tls');
const fs = require('fs');
const zlib = require('zlib');
const crypto = require('crypto');

const args = {};
for (let i = 2; i < process.argv.length; i += 2) {
  args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
}
const mode = args.mode;
const host = args.host || '127.0.0.1';
const log = (event) => {
  if (args.log) fs.appendFileSync(args.log, JSON.stringify(event) + '\n');
};

// Reads one request (head and Content-Length body), then calls back(head, body).
function onRequest(socket, back) {
  let buffer = Buffer.alloc(0);
  let done = false;
  socket.on('data', (chunk) => {
    if (done) return;
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffer.length > 1 << 20) socket.destroy();
        return;
      }
      const head = buffer.subarray(0, end).toString('latin1');
      const m = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      const length = m ? parseInt(m[1], 10) : 0;
      if (buffer.length < end + 4 + length) return;
      const body = buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      buffer = buffer.subarray(end + 4 + length);
      log({ head });
      // After CONNECT or an upgrade, the bytes are not HTTP any more.
      done = head.startsWith('CONNECT ') || /\r\nupgrade:/i.test(head);
      back(head, body);
      if (done) return;
    }
  });
  socket.on('error', () => {});
}

function bayeuxReply(body) {
  let messages = [];
  try { messages = JSON.parse(body); } catch (e) { /* empty reply */ }
  if (!Array.isArray(messages)) messages = [messages];
  return JSON.stringify(messages.map((m) => ({
    id: m.id, channel: m.channel, successful: true, clientId: 'hostile1', version: '1.0',
    supportedConnectionTypes: ['long-polling'],
    advice: { reconnect: 'retry', interval: 0, timeout: 2000 },
  })));
}

let bomb = null;
function makeBomb(mb, done) {
  const gzip = zlib.createGzip({ level: 9 });
  const parts = [];
  gzip.on('data', (c) => parts.push(c));
  gzip.on('end', () => { bomb = Buffer.concat(parts); done(); });
  const block = Buffer.alloc(1 << 20, ' ');
  let left = mb;
  const pump = () => {
    while (left > 0) {
      left--;
      if (!gzip.write(block)) return gzip.once('drain', pump);
    }
    gzip.end();
  };
  pump();
}

function handle(socket) {
  log({ accepted: true });
  switch (mode) {
    case 'silent':
      socket.on('error', () => {});
      return;  // never a byte
    case 'record-proxy':
      return onRequest(socket, (head) => {
        socket.end(head.startsWith('CONNECT ') ? 'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'
          : 'HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      });
    case 'refuse-proxy':
      return onRequest(socket, () => {
        socket.end(`HTTP/1.0 ${args.status || '503'} Refused\r\nConnection: close\r\n\r\n`);
      });
    case 'echo-request':
      return onRequest(socket, () => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    case 'bayeux':
      return onRequest(socket, (head, body) => {
        const reply = bayeuxReply(body);
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ' +
          Buffer.byteLength(reply) + '\r\n\r\n' + reply);
      });
    case 'gzip-bomb':
      return onRequest(socket, () => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n' +
          `Content-Length: ${bomb.length}\r\n\r\n`);
        socket.write(bomb);
      });
    case 'chunked-endless':
    case 'headers-endless':
      return onRequest(socket, () => {
        const chunked = mode === 'chunked-endless';
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n' +
          (chunked ? 'Transfer-Encoding: chunked\r\n\r\n' : ''));
        const piece = chunked ? '10000\r\n' + '['.repeat(0x10000) + '\r\n'
          : 'X-Pad: ' + 'a'.repeat(1000) + '\r\n';
        const block = piece.repeat(16);
        const pump = () => {
          while (!socket.destroyed && socket.write(block)) { /* until the buffer is full */ }
          if (!socket.destroyed) socket.once('drain', pump);
        };
        socket.on('close', () => log({ closed: true }));
        pump();
      });
    case 'ws-big-frame':
      return onRequest(socket, (head) => {
        const key = /\r\nsec-websocket-key:\s*(\S+)/i.exec(head);
        if (!key) return socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
        const accept = crypto.createHash('sha1')
          .update(key[1] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n' +
          `Connection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
        const header = Buffer.alloc(10);
        header[0] = 0x81;
        header[1] = 127;
        header.writeBigUInt64BE(1n << 30n, 2);
        socket.write(header);
        const block = Buffer.alloc(1 << 16, '[');
        const pump = () => {
          while (!socket.destroyed && socket.write(block)) { /* until the buffer is full */ }
          if (!socket.destroyed) socket.once('drain', pump);
        };
        pump();
      });
    default:
      throw new Error('unknown --mode ' + mode);
  }
}

const start = () => {
  const server = args['tls-cert']
    ? tls.createServer({ cert: fs.readFileSync(args['tls-cert']), key: fs.readFileSync(args['tls-key']) }, handle)
    : net.createServer(handle);
  server.on('tlsClientError', () => {});
  server.listen(parseInt(args.port || '0', 10), host, () => {
    process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
  });
};
if (mode === 'gzip-bomb') makeBomb(parseInt(args.inflate || '800', 10), start);
else start();
