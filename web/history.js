// The reset history: filters (as `tether history` takes them), the plots, the latest resets, and one reset's evidence and advice.
'use strict';
(function () {
  const ns = (window.TetherDash = window.TetherDash || {});
  const token = document.body.dataset.token;
  const api = (path, params) => `${path}?${new URLSearchParams({ ...params, token })}`;
  const $ = (id) => document.getElementById(id);
  let loading = false;
  let again = false;

  const dur = (ms) => (ms === null || ms === undefined ? '—' : ms < 60000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60000)} min`);
  const when = (ms) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

  function filters() {
    const p = {};
    for (const k of ['host', 'cause', 'since']) {
      const v = $(`f-${k}`).value.trim();
      if (v) p[k] = v;
    }
    return p;
  }

  function fillSelect(select, values) {
    const keep = select.value;
    const first = select.options[0];
    select.replaceChildren(first, ...values.map((v) => new Option(v, v)));
    if (values.includes(keep)) select.value = keep;
  }

  function table(rows) {
    const body = $('resets').tBodies[0];
    const latest = rows.slice(-50).reverse();
    body.replaceChildren(
      ...latest.map((r) => {
        const tr = document.createElement('tr');
        tr.tabIndex = 0;
        tr.dataset.id = r.id;
        const cause = document.createElement('td');
        const sw = document.createElement('span');
        sw.className = 'swatch';
        sw.style.background = ns.causeColour(r.cause);
        cause.append(sw, r.cause);
        const cells = [when(r.t), r.host, null, dur(r.downtimeMs), r.outcome].map((t) => {
          if (t === null) return cause;
          const td = document.createElement('td');
          td.textContent = t;
          return td;
        });
        tr.append(...cells);
        const pick = () => show(r.id);
        tr.addEventListener('click', pick);
        tr.addEventListener('keydown', (e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), pick()));
        return tr;
      }),
    );
  }

  /** One reset's facts, evidence and advice, fetched on demand. */
  async function show(id) {
    const res = await fetch(api('/api/reset', { id }));
    if (!res.ok) return;
    const r = await res.json();
    for (const tr of $('resets').tBodies[0].rows) tr.setAttribute('aria-selected', String(tr.dataset.id === id));
    $('detail').hidden = false;
    $('detail').dataset.id = id;
    $('detail-title').textContent = `${r.host}: ${r.cause} (confidence ${Number(r.confidence).toFixed(2)})`;
    const facts = [
      ['detected', r.detectedAt], ['last heard', r.lastHeardAt], ['restored', r.restoredAt ?? '—'], ['downtime', dur(r.downtimeMs)],
      ['trigger', r.trigger], ['attempts', String(r.attempts)], ['outcome', r.outcome], ['keep-alive', r.keepaliveMs ? dur(r.keepaliveMs) : '—'],
    ];
    $('detail-facts').replaceChildren(...facts.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }));
    const list = (ul, items) => $(ul).replaceChildren(...(items.length ? items : ['(none)']).map((t) => {
      const li = document.createElement('li');
      li.textContent = t;
      return li;
    }));
    list('detail-evidence', r.evidence);
    list('detail-advice', r.advice);
  }

  /** Fetches and draws the history; a second call while one runs runs once more after it. */
  ns.loadHistory = async function () {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      const t0 = performance.now();
      const res = await fetch(api('/api/history', filters()));
      const data = await res.json();
      if (!res.ok) {
        $('hist-error').hidden = false;
        $('hist-error').textContent = data.error || `error ${res.status}`;
        return;
      }
      $('hist-error').hidden = true;
      const fetched = performance.now();
      fillSelect($('f-host'), data.allHosts);
      $('skipped').hidden = data.skipped === 0;
      $('skipped').textContent = `${data.skipped} damaged line${data.skipped === 1 ? '' : 's'} in the history skipped` + (data.warnings[0] ? ` (first: ${data.warnings[0]})` : '');
      $('hist-summary').textContent = `${data.rows.length} of ${data.total} resets shown`;
      const drawMs = ns.drawCharts(data, show);
      table(data.rows);
      const h = $('history');
      h.dataset.rows = String(data.rows.length);
      h.dataset.drawMs = drawMs.toFixed(1);
      h.dataset.totalMs = (performance.now() - t0).toFixed(1);
      h.dataset.fetchMs = (fetched - t0).toFixed(1);
      h.dataset.loads = String(Number(h.dataset.loads || 0) + 1);
    } catch (err) {
      $('hist-error').hidden = false;
      $('hist-error').textContent = `cannot load the history: ${err.message}`;
    } finally {
      loading = false;
      if (again) {
        again = false;
        void ns.loadHistory();
      }
    }
  };

  fillSelect($('f-cause'), ns.allCauses);
  $('filters').addEventListener('submit', (e) => {
    e.preventDefault();
    void ns.loadHistory();
  });
})();
