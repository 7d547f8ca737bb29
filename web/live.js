// The live sessions: a card per running tether, redrawn on each message; the outage timer ticks here between messages.
'use strict';
(function () {
  const ns = (window.TetherDash = window.TetherDash || {});
  let sessions = [];
  /** Server time minus page time, so the outage timer agrees with the server's clock. */
  let skew = 0;

  const secs = (ms) => (ms < 10000 ? `${(ms / 1000).toFixed(1)} s` : ms < 3600000 ? `${Math.round(ms / 1000)} s` : `${(ms / 3600000).toFixed(1)} h`);
  const clock = (ms) => {
    const s = Math.max(0, Math.floor(ms / 1000));
    const mm = String(Math.floor(s / 60)).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    return s >= 3600 ? `${Math.floor(s / 3600)}:${mm.slice(-2)}:${ss}` : `${mm}:${ss}`;
  };

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function fact(dl, name, value) {
    dl.append(el('dt', {}, name), el('dd', { 'data-fact': name }, value));
  }

  function card(s) {
    const c = el('article', { class: 'session', 'data-state': s.state, 'data-host': s.host, 'data-pid': String(s.pid) });
    const top = el('div', { class: 'top' });
    top.append(el('span', { class: 'host' }, s.host), el('span', { class: 'badge' }, s.state));
    c.append(top);
    c.append(el('div', { class: 'muted' }, `${s.user}@${s.hostname}:${s.port} · pid ${s.pid}`));
    const dl = el('dl');
    fact(dl, 'RTT', s.srttMs === undefined ? '—' : `${Math.round(s.srttMs)} ms ± ${Math.round(s.rttvarMs || 0)}`);
    fact(dl, 'keep-alive', s.keepaliveMs === undefined ? '—' : secs(s.keepaliveMs));
    fact(dl, 'held keys', s.heldBytes > 0 ? `${s.heldBytes} bytes` : 'none');
    fact(dl, 'resets', s.lastCause ? `${s.resets} (last: ${s.lastCause})` : String(s.resets));
    if (s.attempt > 0) fact(dl, 'attempt', String(s.attempt));
    if (s.lastError && s.state !== 'connected') fact(dl, 'last error', s.lastError);
    c.append(dl);
    if (s.outageSince !== undefined) {
      const o = el('p', { class: 'outage', 'data-since': String(s.outageSince) });
      c.append(o);
    }
    if (s.lastNotice) c.append(el('p', { class: 'notice' }, s.lastNotice.text));
    return c;
  }

  function tick() {
    const now = Date.now() + skew;
    for (const o of document.querySelectorAll('.session .outage')) {
      o.textContent = `outage ${clock(now - Number(o.dataset.since))}${o.closest('.session').dataset.state === 'suspect' ? ' (suspect)' : ''}`;
    }
  }

  ns.showSessions = function (list, serverNow) {
    sessions = list;
    skew = serverNow - Date.now();
    const box = document.getElementById('sessions');
    box.replaceChildren(...sessions.map(card));
    document.getElementById('live-empty').hidden = sessions.length > 0;
    // how long the newest change took from the session to this page (same machine, same clock)
    const newest = Math.max(0, ...sessions.map((s) => s.updatedAt || 0));
    if (newest > 0) box.dataset.lagMs = String(Date.now() - newest);
    tick();
  };

  setInterval(tick, 250);
})();
