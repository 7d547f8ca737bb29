// The history plots (Chart.js from node_modules): one colour and one point shape per cause, so colour is never the only cue.
'use strict';
(function () {
  const ns = (window.TetherDash = window.TetherDash || {});

  // Okabe-Ito, then Paul Tol's muted scheme: distinguishable with the common colour-vision deficiencies
  const CAUSE_STYLE = {
    'idle-timeout': ['#E69F00', 'circle'],
    firewall: ['#D55E00', 'rect'],
    network: ['#0072B2', 'triangle'],
    'server-restart': ['#009E73', 'rectRot'],
    reboot: ['#CC79A7', 'star'],
    'session-killed': ['#56B4E9', 'crossRot'],
    protocol: ['#332288', 'rectRounded'],
    auth: ['#000000', 'cross'],
    'host-key-changed': ['#882255', 'triangle'],
    'client-suspend': ['#44AA99', 'circle'],
    'refused-before-banner': ['#999933', 'rect'],
    unknown: ['#888888', 'line'],
  };
  const HOST_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#882255', '#44AA99'];

  ns.causeColour = (cause) => (CAUSE_STYLE[cause] || CAUSE_STYLE.unknown)[0];
  ns.causeShape = (cause) => (CAUSE_STYLE[cause] || CAUSE_STYLE.unknown)[1];
  ns.allCauses = Object.keys(CAUSE_STYLE);

  const dateLabel = (ms) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
  const dayLabel = (ms) => new Date(ms).toISOString().slice(5, 10);
  const charts = {};

  Chart.defaults.animation = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.color = '#1b1f24';
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.plugins.legend.labels.usePointStyle = true;
  Chart.defaults.plugins.legend.labels.boxWidth = 8;

  function replace(id, config) {
    if (charts[id]) charts[id].destroy();
    charts[id] = new Chart(document.getElementById(id), config);
    return charts[id];
  }

  /** Resets over time: one row per host, a point per reset in its cause's colour and shape. */
  function timeline(data, onPick) {
    const byCause = new Map();
    const hostIndex = new Map(data.hosts.map((h, i) => [h, i]));
    for (const r of data.rows) {
      if (!byCause.has(r.cause)) byCause.set(r.cause, []);
      byCause.get(r.cause).push({ x: r.t, y: hostIndex.get(r.host), id: r.id });
    }
    const span = data.rows.length > 1 ? data.rows[data.rows.length - 1].t - data.rows[0].t : 0;
    replace('c-timeline', {
      type: 'scatter',
      data: {
        datasets: [...byCause.entries()].map(([cause, points]) => ({
          label: cause,
          data: points,
          // lower order is drawn on top: a rare cause is never hidden under a frequent one
          order: points.length,
          backgroundColor: ns.causeColour(cause),
          borderColor: ns.causeColour(cause),
          pointStyle: ns.causeShape(cause),
          pointRadius: data.rows.length > 1500 ? 3 : 4.5,
          pointHoverRadius: 7,
        })),
      },
      options: {
        // numbers in order, read as they are: thousands of points draw in a few frames
        parsing: false,
        normalized: true,
        scales: {
          x: {
            type: 'linear',
            ...(data.rows.length ? { min: data.rows[0].t, max: data.rows[data.rows.length - 1].t } : {}),
            ticks: { maxTicksLimit: 8, callback: (v) => (span > 3 * 86400000 ? dayLabel(v) : dateLabel(v).slice(5)) },
          },
          y: { type: 'linear', min: -0.5, max: data.hosts.length - 0.5, reverse: true, afterBuildTicks: (axis) => (axis.ticks = data.hosts.map((_h, i) => ({ value: i }))), ticks: { callback: (v) => data.hosts[v] ?? '' }, grid: { display: false } },
        },
        plugins: {
          legend: { position: window.innerWidth < 760 ? 'bottom' : 'top' },
          tooltip: { callbacks: { label: (c) => `${data.hosts[c.raw.y]} · ${c.dataset.label} · ${dateLabel(c.raw.x)}` } },
        },
        onClick: (_e, els, chart) => {
          const el = els[0];
          if (el) onPick(chart.data.datasets[el.datasetIndex].data[el.index].id);
        },
      },
    });
  }

  /** Downtime per UTC day, stacked by cause. */
  function downtime(data) {
    replace('c-downtime', {
      type: 'bar',
      data: {
        labels: data.downtimePerDay.map((d) => d.day.slice(5)),
        datasets: data.causes.map((cause) => ({
          label: cause,
          data: data.downtimePerDay.map((d) => (d.byCause[cause] || 0) / 60000),
          backgroundColor: ns.causeColour(cause),
          pointStyle: ns.causeShape(cause),
        })),
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }, plugins: { legend: { display: false } } },
    });
  }

  /** Resets per host, stacked by cause. */
  function causes(data) {
    replace('c-causes', {
      type: 'bar',
      data: {
        labels: data.causesPerHost.map((h) => h.host),
        datasets: data.causes.map((cause) => ({
          label: cause,
          data: data.causesPerHost.map((h) => h.byCause[cause] || 0),
          backgroundColor: ns.causeColour(cause),
          pointStyle: ns.causeShape(cause),
        })),
      },
      options: { indexAxis: 'y', scales: { x: { stacked: true, beginAtZero: true }, y: { stacked: true } }, plugins: { legend: { display: false } } },
    });
  }

  /** The idle limit learned for each host, stepping at each idle-timeout reset. */
  function idle(data) {
    document.getElementById('idle-empty').hidden = data.idleLimit.length > 0;
    const ts = data.idleLimit.flatMap((h) => h.points.map((p) => p.t));
    const range = ts.length ? { min: Math.min(...ts), max: Math.max(...ts) } : {};
    replace('c-idle', {
      type: 'line',
      data: {
        datasets: data.idleLimit.map((h, i) => ({
          label: h.host,
          data: h.points.map((p) => ({ x: p.t, y: p.ms / 1000 })),
          borderColor: HOST_COLOURS[i % HOST_COLOURS.length],
          backgroundColor: HOST_COLOURS[i % HOST_COLOURS.length],
          stepped: 'after',
          pointRadius: 3,
        })),
      },
      options: {
        scales: { x: { type: 'linear', ...range, ticks: { maxTicksLimit: 5, callback: (v) => dayLabel(v) } }, y: { beginAtZero: true } },
      },
    });
  }

  /** Draws all four plots; returns the milliseconds it took. */
  ns.drawCharts = function (data, onPick) {
    const t0 = performance.now();
    timeline(data, onPick);
    downtime(data);
    causes(data);
    idle(data);
    return performance.now() - t0;
  };
})();
