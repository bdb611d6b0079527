'use strict';
// A real Faye 1.4 server on 127.0.0.1 (free port, printed on stdout), mounted at /cometd,
// with the control endpoints of control.js. Options: --timeout SECONDS (connect hold, 45).
const http = require('http');
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

const server = http.createServer((req, res) => {
  control.handleControl(req, res, stats, (channel, data) => serverClient.publish(channel, data));
});
bayeux.attach(server);
// attach() moved our listener behind Faye's: count the statuses of its responses first.
server.prependListener('request', (req, res) => {
  if (req.url.startsWith('/cometd')) control.countStatus(stats, res);
});
control.announce(server, 'faye');
