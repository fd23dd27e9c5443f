// The dashboard: the retained status feeds the tables and banners, live readings feed the plots, and a look-back
// loads history with paged range queries. Everything comes over MQTT (api.js).
"use strict";

const $ = id => document.getElementById(id);
// Which plot a kind of reading goes to (READINGS.md kinds); unknown kinds get a plot of their own.
const GROUPS = [
  { id: "plot-vitals", title: "Heart rate &amp; SpO₂", kinds: ["health.heart_rate", "health.spo2"] },
  { id: "plot-temperature", title: "Body temperature", kinds: ["health.body_temperature"] },
  { id: "plot-traffic", title: "Traffic: vehicles and occupancy per lane", kinds: ["traffic.vehicle", "traffic.occupancy", "traffic.motion"] },
  { id: "plot-environment", title: "Environment", kinds: ["environment"] },
];
const plots = new Map();                 // group id -> TimePlot
const sensors = new Map();               // sensor id -> { kind, state, rate, last, at }
const alerts = new Map();                // "rule/key" -> the latest alert event (QUERY.md "Alert topics")
const uplinkHistory = { x: [], lag: [], acked: [] };
let uplinkPlot = null, lastStatus = null, online = false, windowSeconds = 300, credentials = null;

function groupOf(kind) {
  const g = GROUPS.find(g => g.kinds.includes(kind));
  return g || { id: "plot-" + kind.replace(/[^a-z0-9]/g, "-"), title: kind, kinds: [kind] };
}

// The known groups' plots in a fixed order (vitals first), each hidden until it has a series.
for (const g of GROUPS) plots.set(g.id, Object.assign(new TimePlot($("plots"), g.title, g.id), { windowSeconds }));

function plotFor(kind) {
  const g = groupOf(kind);
  let p = plots.get(g.id);
  if (!p) {
    p = new TimePlot($("plots"), g.title, g.id);
    p.windowSeconds = windowSeconds;
    plots.set(g.id, p);
  }
  return p;
}

function fmt(n, digits = 1) { return n == null ? "–" : Number(n).toLocaleString(undefined, { maximumFractionDigits: digits }); }
function bytes(n) { return n == null ? "–" : n < 1024 ? n + " B" : n < 1 << 20 ? fmt(n / 1024) + " KiB" : n < 1 << 30 ? fmt(n / 1048576) + " MiB" : fmt(n / 1073741824, 2) + " GiB"; }
function dl(el, rows) { el.innerHTML = rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join(""); }
function esc(s) { return String(s).replace(/[&<>"]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]); }

const api = new EdgeApi({
  state(name) {
    online = name === "online";
    $("conn").textContent = name;
    $("conn").className = "pill " + (online ? "online" : "offline");
    if (online) { $("login").hidden = true; hideBanner(); }
    else showBanner(lastStatus ? "The gateway is unreachable — reconnecting…" : "Connecting to the gateway…");
  },
  refused(code, text) {
    $("login").hidden = false;
    const m = $("login-message");
    m.className = credentials ? "error" : "";
    m.textContent = code === 134 ? (credentials ? "Wrong user name or password." : "This gateway needs an account (role reader or admin).")
      : code === 159 ? "Too many failed logins: wait a little, then try again."
      : credentials ? `This account may not read this gateway (${text}).` : "This gateway needs an account (role reader or admin).";
    showBanner("Not connected: " + m.textContent);
  },
  status(s) { lastStatus = s; renderStatus(s); },
  alert(a) {
    // Events can arrive out of order (the retained state after a live event on reconnect): the later one wins.
    const id = `${a.rule}/${a.key}`, cur = alerts.get(id);
    if (!cur || Date.parse(a.at) >= Date.parse(cur.at)) alerts.set(id, a);
    renderAlerts();
  },
  reading(topic, r) {
    const t = Date.parse(r.ts) / 1000;
    plotFor(r.kind).add(t, r.sensor, r.values);
    const s = sensors.get(r.sensor) || {};
    sensors.set(r.sensor, { ...s, kind: r.kind, last: r.values.map(v => `${v.name} ${fmt(v.value, 2)} ${v.unit}`).join(", "), at: r.ts });
    renderSensorsSoon();
  },
});

function showBanner(text) { $("banner").textContent = text; $("banner").hidden = false; }
function hideBanner() { $("banner").hidden = true; }

let sensorsAsked = false;
function renderStatus(s) {
  $("gateway").textContent = s.gateway;
  if (!sensorsAsked && s.online) {
    // Kinds (which plot a sensor belongs to) come from the sensors query; status has states and rates only.
    sensorsAsked = true;
    api.query({ op: "sensors" }).then(reply => {
      for (const x of reply.sensors) sensors.set(x.id, { ...(sensors.get(x.id) || {}), kind: x.kind, state: x.state });
      renderSensors();
    }).catch(() => { sensorsAsked = false; });
  }
  if (!s.online) showBanner(`Gateway ${s.gateway} has stopped (status "online": false) — waiting for it to come back…`);
  for (const [id, p] of Object.entries(s.sensors.perSensor || {})) {
    const cur = sensors.get(id) || {};
    sensors.set(id, { ...cur, state: p.state, rate: p.readingsPerSecond, at: cur.at || p.lastReadingAt });
  }
  renderSensors();
  renderUplink(s.uplink, Date.parse(s.at) / 1000);
  renderLog(s.log);
  renderIngest(s);
}

// Raised first, newest first within each state; a raised alert is the page's first line of information.
function renderAlerts() {
  const list = [...alerts.values()].sort((a, b) => (a.state === "raised" ? 0 : 1) - (b.state === "raised" ? 0 : 1) || Date.parse(b.at) - Date.parse(a.at));
  const raised = list.filter(a => a.state === "raised").length;
  $("alerts-pill").hidden = raised === 0;
  $("alerts-pill").textContent = `${raised} alert${raised === 1 ? "" : "s"} raised`;
  $("alerts-card").hidden = list.length === 0;
  $("alerts").tBodies[0].innerHTML = list.map(a =>
    `<tr data-alert="${esc(a.rule + "/" + a.key)}" class="${a.state === "raised" ? "raised" : ""}"><td>${esc(a.rule)}</td><td>${esc(a.key)}</td>` +
    `<td>${esc(a.state)}</td><td>${new Date(a.at).toLocaleString()}</td>` +
    `<td>${esc((a.values || []).map(v => `${v.name} ${fmt(v.value, 2)} ${v.unit}`).join(", "))}</td></tr>`).join("");
}

let sensorsTimer = null;
function renderSensorsSoon() { if (!sensorsTimer) sensorsTimer = setTimeout(() => { sensorsTimer = null; renderSensors(); }, 500); }
function renderSensors() {
  const rows = [...sensors.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, s]) =>
    `<tr data-sensor="${esc(id)}"><td>${esc(id)}</td><td>${esc(s.kind || "")}</td><td class="${esc(s.state || "")}">${esc(s.state || "–")}</td>` +
    `<td>${fmt(s.rate)}</td><td>${esc(s.last || "–")}</td><td>${s.at ? new Date(s.at).toLocaleTimeString() : "–"}</td></tr>`);
  $("sensors").tBodies[0].innerHTML = rows.join("");
}

function renderUplink(u, t) {
  const down = u.state !== "connected" && u.state !== "buffer-only";
  $("uplink-banner").hidden = !down;
  if (down) $("uplink-banner").textContent = `Uplink ${u.state}${u.lastError ? ": " + u.lastError : ""} — ${fmt(u.lag, 0)} readings wait in the log and will be sent when it reconnects.`;
  dl($("uplink"), u.state === "buffer-only" ? [["state", "buffer-only"], ["why", esc(u.reason)]] : [
    ["state", esc(u.state)], ["endpoint", esc(u.endpoint || "")], ["lag", fmt(u.lag, 0) + " readings"],
    ["oldest unsent", u.oldestUnsentSeconds == null ? "–" : fmt(u.oldestUnsentSeconds) + " s"],
    ["acked/s", fmt(u.ackedPerSecond)], ["drain estimate", u.drainSeconds == null ? "–" : fmt(u.drainSeconds) + " s"],
    ["acked", fmt(u.acked, 0)], ["resent", fmt(u.resent, 0)], ["dead-lettered", fmt(u.deadLettered, 0)],
  ]);
  if (u.state === "buffer-only") return;
  const h = uplinkHistory;
  h.x.push(t); h.lag.push(u.lag); h.acked.push(u.ackedPerSecond);
  while (h.x.length > 720) { h.x.shift(); h.lag.shift(); h.acked.shift(); } // an hour at the default 5 s status interval
  if (!uplinkPlot) {
    uplinkPlot = new uPlot({
      width: Math.max(260, $("uplink").clientWidth), height: 140, scales: { x: { time: true } }, legend: { live: false },
      series: [{}, { label: "lag", stroke: "#d62728", scale: "n" }, { label: "acked/s", stroke: "#1f77b4", scale: "r" }],
      axes: [{}, { scale: "n", side: 3 }, { scale: "r", side: 1, grid: { show: false } }],
    }, [h.x, h.lag, h.acked], $("uplink-plot"));
  } else uplinkPlot.setData([h.x, h.lag, h.acked]);
}

function renderLog(log) {
  dl($("log-summary"), [["stored", bytes(log.bytes)], ["budget", bytes(log.budgetBytes) + (log.configuredBudget === "auto" ? " (auto)" : "")],
    ["disk", esc(log.disk) + (log.waitingForSpace?.length ? " — waiting: " + esc(log.waitingForSpace.join(", ")) : "")],
    ["evicted", fmt(log.evictedRecords, 0) + " records, " + fmt(log.evictedSegments, 0) + " segments"], ["disk free", bytes(log.diskFreeBytes)]]);
  $("log").tBodies[0].innerHTML = Object.entries(log.topics || {}).map(([topic, parts]) =>
    `<tr><td>${esc(topic)}</td><td>${parts.length}</td><td>${fmt(parts.reduce((n, p) => n + p.end - p.start, 0), 0)}</td><td>${bytes(parts.reduce((n, p) => n + p.bytes, 0))}</td></tr>`).join("");
}

function renderIngest(s) {
  const refused = Object.entries(s.ingest.refused || {}).map(([k, v]) => `${esc(k)} ${fmt(v, 0)}`).join(", ") || "none";
  const broker = Object.entries(s.broker?.refused || {}).map(([k, v]) => `${esc(k)} ${fmt(v, 0)}`).join(", ") || "none";
  dl($("ingest"), [["accepted", fmt(s.ingest.accepted, 0)], ["refused", refused], ["queries", fmt(s.queries, 0)],
    ["connections", fmt(s.broker?.connections, 0)], ["refused connections", broker], ["sensors dropped", fmt(s.sensors.dropped, 0)]]);
}

// Look back: every sensor's readings of the window, page by page, then the plots go on live from there.
async function lookBack(seconds) {
  windowSeconds = seconds;
  $("lookback").value = String(seconds);
  const to = Date.now(), from = to - seconds * 1000;
  $("loading").hidden = false;
  const started = performance.now();
  const byPlot = new Map();
  let count = 0;
  for (const [id, s] of sensors) {
    if (!s.kind) continue;
    const p = plotFor(s.kind);
    const series = { sensor: id, ts: [], values: {}, units: {} };
    (byPlot.get(p) || byPlot.set(p, []).get(p)).push(series);
    $("loading").textContent = `loading ${id}…`;
    await api.rangeColumns(id, new Date(from).toISOString(), new Date(to).toISOString(), page => appendPage(series, page));
    count += series.ts.length;
  }
  for (const [p, list] of byPlot) {
    // Live readings that came in while loading stay; history is merged under them by time.
    for (let i = 0; i < p.x.length; i++) if (p.x[i] * 1000 > to) list.push(...liveRowsAt(p, i));
    p.windowSeconds = seconds;
    p.loadSeries(list);
  }
  for (const p of plots.values()) p.windowSeconds = seconds;
  drawAll();
  const ms = performance.now() - started;
  $("loading").textContent = `${fmt(count, 0)} readings in ${fmt(ms / 1000, 2)} s`;
  window.edge.lastLookBack = { seconds, readings: count, ms };
  return window.edge.lastLookBack;
}

// One columns page appended to a sensor's series (times in seconds, as uPlot wants them); a value name that a page
// lacks is null there, so every column stays as long as the times.
function appendPage(series, page) {
  const n0 = series.ts.length;
  for (const t of page.ts) series.ts.push(t / 1000);
  for (const [name, column] of Object.entries(page.values)) {
    const dst = series.values[name] || (series.values[name] = new Array(n0).fill(null));
    for (const v of column) dst.push(v);
  }
  for (const dst of Object.values(series.values)) while (dst.length < series.ts.length) dst.push(null);
  Object.assign(series.units, page.units);
}

// The plot's live cells at row i as one-reading series for loadSeries.
function liveRowsAt(p, i) {
  const rows = [];
  p.keys.forEach((k, j) => {
    if (p.cols[j][i] == null) return;
    const [sensor, name] = k.split(" ");
    rows.push({ sensor, ts: [p.x[i]], values: { [name]: [p.cols[j][i]] }, units: { [name]: p.units[j] } });
  });
  return rows;
}

function drawAll() {
  const now = Date.now() / 1000;
  for (const p of plots.values()) { p.trim(now); p.draw(now); }
}

// The x axis follows the clock; a short window scrolls 4 times a second, a long one once a second.
(function tick() { drawAll(); setTimeout(tick, windowSeconds <= 600 ? 250 : 1000); })();

$("lookback").addEventListener("change", e => lookBack(Number(e.target.value)).catch(err => { $("loading").textContent = "look-back failed: " + err.message; }));
$("login").addEventListener("submit", e => {
  e.preventDefault();
  credentials = { user: $("user").value, password: $("password").value };
  api.connect(credentials.user, credentials.password);
});

// For tests and benchmarks: what the page holds, without scraping pixels.
window.edge = {
  api, plots, sensors, alerts, lookBack,
  points: id => plots.get(id)?.points || 0,
  online: () => online,
};
api.connect();
