'use strict';
// The baseline for `bench`'s own contribution: the leanest client Node allows, against
// echo-server.js, with bench's shape: SUBSCRIBERS WebSocket sessions in one room, one of them
// publishing RATE messages per second at a fixed schedule, each stamped with its intended send
// time (data.t, ns since the run began; the server adds its residence time to it). No Bayeux
// library: frames are built and matched by hand. Prints {"p50":…,"p90":…,"p99":…,"p99.9":…}
// in milliseconds over the deliveries of the measured SECONDS (after one second of warm-up).
//   node echo-baseline.js URL SUBSCRIBERS RATE SECONDS
const WebSocket = require('ws');

const [url, subscribers, rate, seconds] = [process.argv[2], +process.argv[3], +process.argv[4],
  +process.argv[5]];
const channel = '/bench/baseline';
const start = process.hrtime.bigint();
const now = () => Number(process.hrtime.bigint() - start);
const latencies = [];
let measureFrom = Infinity;
let measureTo = Infinity;

function session() {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let id = 0;
    let clientId = null;
    const send = (m) => ws.send(JSON.stringify([Object.assign({ id: String(++id) }, m)]));
    ws.on('open', () => send({ channel: '/meta/handshake', version: '1.0',
      supportedConnectionTypes: ['websocket'] }));
    ws.on('message', (raw) => {
      const received = now();
      for (const m of JSON.parse(raw.toString())) {
        if (m.channel === '/meta/handshake') {
          clientId = m.clientId;
          send({ channel: '/meta/connect', clientId, connectionType: 'websocket',
            advice: { timeout: 0 } });
          send({ channel: '/meta/subscribe', clientId, subscription: channel });
        } else if (m.channel === '/meta/subscribe') {
          resolve({ publish: (data) => send({ channel, clientId, data }) });
        } else if (m.channel === channel && m.data) {
          if (m.data.t >= measureFrom && m.data.t < measureTo) {
            latencies.push(received - m.data.t);
          }
        }
      }
    });
  });
}

(async () => {
  const sessions = [];
  for (let i = 0; i < subscribers; i++) sessions.push(await session());
  const period = 1e9 / rate;
  const begin = now();
  measureFrom = begin + 1e9;
  measureTo = measureFrom + seconds * 1e9;
  let n = 0;
  const tick = () => {
    // Open loop: every message whose time has come is sent, stamped with that time.
    while (begin + n * period <= now() && begin + n * period < measureTo) {
      sessions[0].publish({ p: 0, s: n, t: Math.round(begin + n * period) });
      n++;
    }
    if (begin + n * period < measureTo) {
      setImmediate(tick);  // spins: Node's timers are 1 ms coarse, which would cost 1 ms here
    } else {
      setTimeout(() => {
        latencies.sort((a, b) => a - b);
        const at = (q) => +(latencies[Math.min(latencies.length - 1,
          Math.floor(q * latencies.length))] / 1e6).toFixed(3);
        console.log(JSON.stringify({ count: latencies.length, p50: at(0.5), p90: at(0.9),
          p99: at(0.99), 'p99.9': at(0.999) }));
        process.exit(0);
      }, 500);
    }
  };
  tick();
})();
