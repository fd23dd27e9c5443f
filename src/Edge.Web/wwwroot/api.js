// The gateway's MQTT API (src/Edge.Local/QUERY.md) over MQTT 5 on WebSocket: the retained status, live readings and
// request/reply queries. Nothing else: this file is also a worked example of QUERY.md for a browser.
"use strict";

class EdgeApi {
  constructor(handlers) {
    this.handlers = handlers;          // { status(s), reading(topic, r), alert(a), state(name, detail), refused(code, text) }
    this.pending = new Map();          // correlationId -> { resolve, reject, timer }
    this.gateway = null;
    this.clientId = "dash-" + Math.random().toString(36).slice(2, 10);
    this.replyTopic = "reply/" + this.clientId; // outside edge/<id>/ and not '$' (QUERY.md "Requests and replies")
    this.next = 1;
  }

  connect(username, password) {
    if (this.client) this.client.end(true);
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    // MQTT 5: Response Topic on requests; reconnect by itself every 2 s while the gateway is away.
    const client = mqtt.connect(`${scheme}://${location.host}/mqtt`, {
      protocolVersion: 5, clientId: this.clientId, clean: true, reconnectPeriod: 2000, connectTimeout: 5000,
      timerVariant: "native", // MQTT.js would otherwise start a blob: worker for its timers, which the page's CSP forbids
      username: username || undefined, password: password || undefined,
    });
    this.client = client;
    client.on("connect", () => {
      this.handlers.state("online");
      // Any gateway's retained status names its id; the page then needs nothing but MQTT to find its topics.
      client.subscribe([this.replyTopic, "edge/+/status"], { qos: 1 }, (err, granted) => {
        if (err || granted.some(g => g.qos >= 128)) this.handlers.refused(135, "this account may not read the gateway's topics (role reader or admin)");
      });
      if (this.gateway) this.watchLive();
    });
    client.on("message", (topic, payload) => this.onMessage(topic, payload));
    client.on("offline", () => this.handlers.state("offline"));
    client.on("close", () => this.handlers.state("offline"));
    client.on("reconnect", () => this.handlers.state("reconnecting"));
    client.on("error", err => {
      // CONNACK reason codes (MQTT 5 §3.2.2.2): 134 bad user name or password, 135 not authorized, 138 banned/backoff.
      if (err && (err.code === 134 || err.code === 135 || err.code === 159)) {
        client.end(true);
        this.handlers.refused(err.code, err.message);
      }
    });
  }

  watchLive() {
    this.client.subscribe(`edge/${this.gateway}/live/#`, { qos: 0 });
    // Stream rules' alerts (QUERY.md "Alert topics"): each rule/key's current state retained, then every event.
    this.client.subscribe(`edge/${this.gateway}/alerts/#`, { qos: 1 });
  }

  onMessage(topic, payload) {
    const text = new TextDecoder().decode(payload);
    if (topic === this.replyTopic) return this.onReply(text);
    const parts = topic.split("/");
    if (parts[2] === "status") {
      const status = JSON.parse(text);
      if (!this.gateway) { this.gateway = status.gateway; this.watchLive(); }
      if (status.gateway === this.gateway) this.handlers.status(status);
    } else if (parts[2] === "live" && parts[1] === this.gateway) {
      this.handlers.reading(parts[3], JSON.parse(text));
    } else if (parts[2] === "alerts" && parts[1] === this.gateway && text.length > 0) {
      this.handlers.alert(JSON.parse(text));
    }
  }

  onReply(text) {
    const reply = JSON.parse(text);
    const p = this.pending.get(reply.correlationId);
    if (!p) return;
    this.pending.delete(reply.correlationId);
    clearTimeout(p.timer);
    reply.ok ? p.resolve(reply) : p.reject(Object.assign(new Error(reply.error.message), { code: reply.error.code }));
  }

  // One request, one reply (QUERY.md); rate_limited is retried after a short pause, as the error asks.
  async query(request, timeoutMs = 15000) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.queryOnce(request, timeoutMs);
      } catch (e) {
        if (e.code !== "rate_limited" || attempt > 50) throw e;
        await new Promise(r => setTimeout(r, 100 * Math.min(attempt + 1, 10)));
      }
    }
  }

  queryOnce(request, timeoutMs) {
    const correlationId = String(this.next++);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.pending.delete(correlationId); reject(new Error("no reply within " + timeoutMs + " ms")); }, timeoutMs);
      this.pending.set(correlationId, { resolve, reject, timer });
      this.client.publish(`edge/${this.gateway}/query`, JSON.stringify({ ...request, correlationId }),
        { qos: 1, properties: { responseTopic: this.replyTopic, contentType: "application/json" } });
    });
  }

  // A sensor's series in [from, to] as columns (QUERY.md "range", "format":"columns"), page by page: what the plots
  // take as it is, at a tenth of the bytes of reading objects. onPage gets each reply ({ts, values, units, count}).
  async rangeColumns(sensor, from, to, onPage) {
    let cursor = null, limit = this.columnsLimit || 10000;
    for (;;) {
      let reply;
      try {
        reply = await this.query({ op: "range", sensor, from, to, format: "columns", limit, ...(cursor ? { cursor } : {}) });
      } catch (e) {
        // A gateway with a lower Query:MaxColumnsLimit says its maximum.
        const max = e.code === "limit_too_large" && /maximum (\d+)/.exec(e.message);
        if (!max) throw e;
        limit = this.columnsLimit = Number(max[1]);
        continue;
      }
      onPage(reply);
      if (!reply.next) return;
      cursor = reply.next;
    }
  }
}
