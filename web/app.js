// The page's socket: kept by reconnecting-websocket, so a dashboard restarted on the same port is picked up without a reload.
'use strict';
(function () {
  const ns = window.TetherDash;
  const token = document.body.dataset.token;
  const conn = document.getElementById('conn');
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(token)}`;
  const ws = new ReconnectingWebSocket(url, [], { minReconnectionDelay: 250, maxReconnectionDelay: 2000, reconnectionDelayGrowFactor: 1.5 });
  let opens = 0;

  const say = (state, text) => {
    conn.dataset.state = state;
    conn.textContent = text;
  };
  ws.addEventListener('open', () => {
    opens++;
    conn.dataset.opens = String(opens);
    say('open', 'live');
    // after a reconnect the history may have grown while we were away
    if (opens > 1) void ns.loadHistory();
  });
  ws.addEventListener('close', () => say('closed', 'reconnecting…'));
  ws.addEventListener('message', (e) => {
    let m;
    try {
      m = JSON.parse(e.data);
    } catch {
      return;
    }
    if (m.type === 'sessions') ns.showSessions(m.sessions, m.now);
    else if (m.type === 'history-changed') void ns.loadHistory();
  });
  void ns.loadHistory();
})();
