// The mqttjs-* benchmarks' client: mqtt.js with its default options (Nagle's algorithm on, as in Node-RED and most
// dashboards). Started by tests/Edge.Benchmarks (MqttJsQueryLatency.cs, MqttJsIngest.cs); prints one JSON line.
//   node driver.mjs latency   --port P --topic T --op latest|range --sensors 40 --per-sensor N --t0 ISO --seconds S --warmup W [--pad BYTES]
//   node driver.mjs responder --port P --topic T          (echo responder behind Mosquitto: replies with `pad` bytes)
//   node driver.mjs ingest    --port P --prefix edge/bench/ingest/ --connections C --inflight 1000 --seconds S --warmup W
import mqtt from 'mqtt';

const [mode, ...rest] = process.argv.slice(2);
const arg = {};
for (let i = 0; i < rest.length; i += 2) arg[rest[i].replace(/^--/, '')] = rest[i + 1];
const url = `mqtt://127.0.0.1:${arg.port}`;
const seconds = Number(arg.seconds ?? 4), warmup = Number(arg.warmup ?? 1);

const connect = (options) => new Promise((resolve, reject) => {
  const c = mqtt.connect(url, { reconnectPeriod: 0, ...options });
  c.once('connect', () => resolve(c));
  c.once('error', reject);
});
const now = () => process.hrtime.bigint();
const percentile = (sorted, p) => sorted.length ? Number(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p / 100 * sorted.length) - 1))]) / 1000 : NaN;

if (mode === 'latency') {
  const c = await connect({ protocolVersion: 5 });
  const reply = `bench/replies/${process.pid}`;
  await c.subscribeAsync(reply, { qos: 1 });
  const waiting = new Map();
  let replyBytes = 0;
  c.on('message', (topic, payload, packet) => {
    const id = packet.properties?.correlationData?.toString('hex');
    const done = waiting.get(id);
    if (done) { waiting.delete(id); replyBytes = payload.length; done(); }
  });
  const sensors = Number(arg.sensors ?? 40), perSensor = Number(arg['per-sensor'] ?? 25000), t0 = Date.parse(arg.t0 ?? '2026-11-01T00:00:00Z');
  const pad = arg.pad === undefined ? undefined : Number(arg.pad);
  let seq = 0, seed = 42;
  const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const sensor = (s) => `lane-${String(s).padStart(2, '0')}`;
  const request = () => {
    if (arg.op === 'latest') return { op: 'latest', sensor: sensor(random(sensors)), n: 10 };
    // 1,000 consecutive readings of one sensor from a random point of its history (QueryLatency.cs fills the log so).
    const first = random(Math.max(1, perSensor - 1000));
    return { op: 'range', sensor: sensor(random(sensors)), from: new Date(t0 + first * sensors * 10).toISOString(), to: new Date(t0 + (first + 999) * sensors * 10).toISOString(), limit: 1000 };
  };
  const ask = () => new Promise((resolve, reject) => {
    const id = Buffer.alloc(8); id.writeBigUInt64BE(BigInt(++seq));
    const body = request();
    if (pad !== undefined) body.pad = pad;
    const start = now();
    const timer = setTimeout(() => reject(new Error('no reply within 30 s')), 30_000);
    waiting.set(id.toString('hex'), () => { clearTimeout(timer); resolve(now() - start); });
    c.publish(arg.topic, JSON.stringify(body), { qos: 1, properties: { responseTopic: reply, correlationData: id } });
  });
  const until = (s) => { const end = now() + BigInt(Math.round(s * 1e9)); return () => now() < end; };
  for (const more = until(warmup); more();) await ask();
  const latencies = [];
  const t = now();
  for (const more = until(seconds); more();) latencies.push(await ask());
  const elapsed = Number(now() - t) / 1e9;
  latencies.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  console.log(JSON.stringify({ count: latencies.length, seconds: elapsed, p50_us: percentile(latencies, 50), p99_us: percentile(latencies, 99), max_us: percentile(latencies, 100), reply_bytes: replyBytes }));
  await c.endAsync();
} else if (mode === 'responder') {
  const c = await connect({ protocolVersion: 5 });
  c.on('message', (topic, payload, packet) => {
    const req = JSON.parse(payload.toString());
    const body = 'x'.repeat(Math.max(0, Number(req.pad ?? 0)));
    c.publish(packet.properties.responseTopic, body, { qos: 1, properties: { correlationData: packet.properties.correlationData } });
  });
  await c.subscribeAsync(arg.topic, { qos: 1 });
  console.log(JSON.stringify({ ready: true }));
} else if (mode === 'ingest') {
  const connections = Number(arg.connections ?? 1), inflight = Number(arg.inflight ?? 1000), sensorsPer = 8;
  // A minute before now, to the 100 ns tick (READINGS.md §2): inside the gateway's allowed clock skew.
  const ts = new Date(Date.now() - 60_000).toISOString().replace('Z', '0000Z');
  let counting = false, acked = 0, errors = 0, running = true;
  const clients = await Promise.all(Array.from({ length: connections }, () => connect({})));
  clients.forEach((c, ci) => {
    let outstanding = 0, n = 0;
    const pump = () => {
      while (running && outstanding < inflight) {
        const s = `n${process.pid}-c${ci}-s${n % sensorsPer}`, seq = Math.floor(n / sensorsPer);
        n++;
        outstanding++;
        const reading = `{"sensor":"${s}","kind":"health.heart_rate","ts":"${ts}","seq":${seq},"quality":"ok","values":[{"name":"bpm","value":${60 + seq % 40},"unit":"bpm"}]}`;
        c.publish(arg.prefix + s, reading, { qos: 1 }, (err) => {
          outstanding--;
          if (err) errors++; else if (counting) acked++;
          pump();
        });
      }
    };
    pump();
  });
  await new Promise((r) => setTimeout(r, warmup * 1000));
  counting = true;
  const t = now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const got = acked, elapsed = Number(now() - t) / 1e9;
  counting = false;
  running = false;
  console.log(JSON.stringify({ connections, inflight, acked: got, seconds: elapsed, per_s: got / elapsed, errors }));
  await Promise.all(clients.map((c) => c.endAsync(true)));
} else {
  console.error(`unknown mode '${mode}': latency, responder or ingest`);
  process.exit(2);
}
