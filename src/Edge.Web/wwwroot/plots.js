// Live time-series plots (uPlot): one per kind of sensor, a series per sensor and value, time on the x axis, the
// window scrolling with the clock. Data are columns, as uPlot wants them: x in seconds, and per series a value or null
// (a reading of one sensor leaves the others' cells empty; spanGaps draws each series through them).
"use strict";

const PALETTE = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

class TimePlot {
  constructor(container, title, id) {
    this.el = document.createElement("div");
    this.el.className = "plot";
    this.el.id = id;
    this.el.innerHTML = `<h2>${title}</h2>`;
    this.el.hidden = true;               // until its first series
    container.appendChild(this.el);
    this.keys = [];                      // series keys "sensor value"
    this.units = [];
    this.x = [];
    this.cols = [];
    this.windowSeconds = 300;
    this.dirty = true;
    this.plot = null;
  }

  // Count of points held, for the tests and benchmarks (window.edge.points(id)).
  get points() { return this.x.length; }

  seriesIndex(key, unit) {
    let i = this.keys.indexOf(key);
    if (i >= 0) return i;
    this.keys.push(key);
    this.units.push(unit);
    this.cols.push(new Array(this.x.length).fill(null));
    this.plot?.destroy();
    this.plot = null;                    // rebuilt with the new series on the next draw
    return this.keys.length - 1;
  }

  // One reading's values at time t (seconds).
  add(t, sensor, values) {
    const idx = values.map(v => this.seriesIndex(`${sensor} ${v.name}`, v.unit));
    // Readings mostly arrive in order; an older one (a page of history, a late ingest) goes to its place.
    let at = this.x.length;
    while (at > 0 && this.x[at - 1] > t) at--;
    this.x.splice(at, 0, t);
    this.cols.forEach(c => c.splice(at, 0, null));
    values.forEach((v, j) => { this.cols[idx[j]][at] = v.value; });
    this.dirty = true;
  }

  // Replaces everything with series [{sensor, ts: [seconds], values: {name: [value or null]}, units: {name: unit}}]
  // (a look-back load, QUERY.md's columns): the series are merged by time in one pass, no object per reading.
  loadSeries(list) {
    const targets = list.map(s => Object.keys(s.values).map(name => [this.seriesIndex(`${s.sensor} ${name}`, s.units[name]), s.values[name]]));
    // A sensor's times are in log order, nearly always increasing; an ingested late reading breaks that, so sort then.
    const order = list.map(s => {
      for (let i = 1; i < s.ts.length; i++) if (s.ts[i] < s.ts[i - 1]) return s.ts.map((_, j) => j).sort((a, b) => s.ts[a] - s.ts[b]);
      return null;
    });
    const n = list.reduce((sum, s) => sum + s.ts.length, 0);
    this.x = new Array(n);
    this.cols = this.keys.map(() => new Array(n).fill(null));
    const heads = list.map(() => 0);
    for (let out = 0; out < n; out++) {
      let best = -1, bestT = Infinity, bestRow = 0;
      for (let k = 0; k < list.length; k++) {
        if (heads[k] >= list[k].ts.length) continue;
        const row = order[k] ? order[k][heads[k]] : heads[k];
        if (list[k].ts[row] < bestT) { best = k; bestT = list[k].ts[row]; bestRow = row; }
      }
      heads[best]++;
      this.x[out] = bestT;
      for (const [j, column] of targets[best]) this.cols[j][out] = column[bestRow];
    }
    this.dirty = true;
  }

  trim(now) {
    const oldest = now - this.windowSeconds;
    let drop = 0;
    while (drop < this.x.length && this.x[drop] < oldest) drop++;
    if (drop === 0) return;
    this.x.splice(0, drop);
    this.cols.forEach(c => c.splice(0, drop));
  }

  build() {
    const units = [...new Set(this.units)];
    const width = Math.max(300, this.el.clientWidth - 10);
    const opts = {
      width, height: 220,
      scales: { x: { time: true } },
      series: [{}].concat(this.keys.map((k, i) => ({
        label: `${k} (${this.units[i]})`, stroke: PALETTE[i % PALETTE.length], width: 1.5, spanGaps: true, scale: this.units[i], points: { show: false },
      }))),
      // The first two units get an axis each (left, right); further ones share their scale's range without one.
      axes: [{}].concat(units.slice(0, 2).map((u, i) => ({ scale: u, side: i === 0 ? 3 : 1, label: u, grid: { show: i === 0 } }))),
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    };
    this.plot = new uPlot(opts, [this.x, ...this.cols], this.el);
  }

  draw(now) {
    if (this.keys.length === 0) return;
    if (!this.plot) { this.el.hidden = false; this.build(); this.dirty = true; }
    if (this.dirty) this.plot.setData([this.x, ...this.cols], false);
    this.plot.setScale("x", { min: now - this.windowSeconds, max: now });
    this.dirty = false;
  }
}
