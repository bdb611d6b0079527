'use strict';
// A real Faye 1.4 server on 127.0.0.1 (free port, printed on stdout), mounted at /cometd,
// with the control endpoints of control.js. Options: --timeout SECONDS (connect hold, 45);
// --tls-cert FILE --tls-key FILE for HTTPS (and wss), with --client-ca FILE to require a
// client certificate signed by that CA.
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

const handler = (req, res) => {
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
