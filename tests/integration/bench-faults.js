'use strict';
// A real Faye 1.4 server with faults for `cometd-cli bench` tests, on 127.0.0.1 (free port,
// printed on stdout), mounted at /cometd; GET /control/stats says what it did.
//   --stall-after MS      once, MS after the first bench message arrives, the whole server
//                         (its event loop) stalls for --stall-for MS (1000)
//   --drop P:S[,P:S...]   messages of publisher P with sequence S are acknowledged but never
//                         delivered to anyone
//   --dup P:S[,P:S...]    those messages are delivered twice to every subscriber
// A bench message carries {"p":PUBLISHER,"s":SEQUENCE,...} in its data.
const http = require('http');
const faye = require('faye');
const control = require('./control');

const stats = { messages: 0, dropped: 0, duplicated: 0, stalled_ms: 0 };
const list = (name) => new Set((control.option(name, '') || '').split(',').filter(Boolean));
const drop = list('drop');
const dup = list('dup');
const stallAfter = parseInt(control.option('stall-after', '-1'), 10);
const stallFor = parseInt(control.option('stall-for', '1000'), 10);

const bayeux = new faye.NodeAdapter({ mount: '/cometd', timeout: 30 });
const engine = bayeux._server._engine;  // private in Faye 1.4.3 (pinned), the fan-out point
const publish = engine.publish.bind(engine);
let stallArmed = stallAfter >= 0;
engine.publish = (message) => {
  const data = message.data || {};
  const key = data.p + ':' + data.s;
  if (typeof data.p === 'number') {
    stats.messages++;
    if (stallArmed) {
      stallArmed = false;
      setTimeout(() => {
        const until = Date.now() + stallFor;
        while (Date.now() < until) { /* the stall: nothing else runs */ }
        stats.stalled_ms = stallFor;
      }, stallAfter);
    }
  }
  if (drop.has(key)) {
    stats.dropped++;
    return;
  }
  publish(message);
  if (dup.has(key)) {
    stats.duplicated++;
    publish(message);
  }
};

const server = http.createServer((req, res) => {
  if (req.url.startsWith('/control/stats')) {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(stats));
    return;
  }
  res.writeHead(404);
  res.end();
});
bayeux.attach(server);
control.announce(server, 'bench-faults');
