'use strict';
// A real CometD Node server (cometd-nodejs-server 1.2) on 127.0.0.1 (free port, printed on
// stdout) at /cometd, with the control endpoints of control.js. It speaks long-polling only
// and finds sessions through its BAYEUX_BROWSER cookie. Options: --timeout MS (30000).
const http = require('http');
const cometd = require('cometd-nodejs-server');
const control = require('./control');

const stats = control.createStats();
const cometdServer = cometd.createCometDServer({
  timeout: parseInt(control.option('timeout', '30000'), 10),
});
cometdServer.addExtension({
  incoming(server, session, message, callback) {
    control.countMessage(stats, message);
    callback(null, true);
  },
});

// A service channel for `call`: the answer goes back to the caller alone, on the same channel.
cometdServer.createServerChannel('/service/echo').addListener('message',
  (session, channel, message, callback) => {
    session.deliver(null, '/service/echo', { echo: message.data });
    callback();
  });

const server = http.createServer((req, res) => {
  if (req.url.startsWith('/cometd')) {
    control.countStatus(stats, res);
    return cometdServer.handle(req, res);
  }
  return control.handleControl(req, res, stats, (channel, data) =>
    cometdServer.createServerChannel(channel).publish(null, data));
});
control.announce(server, 'cometd');
