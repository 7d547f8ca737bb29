import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_TMUX_NOTICE, buildInteractiveCommand, tmuxScript } from './tmux-command.js';
import { parseTmuxVersion } from './tmux-invocation.js';

test('a user command is run verbatim, never in tmux', () => {
  assert.deepEqual(buildInteractiveCommand({ session: 'tether-a', command: 'top -d 1' }), {
    command: 'top -d 1',
    restoreMode: 'none',
  });
});

test('--no-tmux and a server known to lack tmux open a plain shell channel', () => {
  assert.deepEqual(buildInteractiveCommand({ session: 'tether-a', tmux: 'off' }), {
    command: undefined,
    restoreMode: 'plain-shell',
  });
  assert.deepEqual(buildInteractiveCommand({ session: 'tether-a', tmuxInstalled: false }), {
    command: undefined,
    restoreMode: 'plain-shell',
  });
});

test('the tmux command: exact string for a plain name', () => {
  const r = buildInteractiveCommand({ session: 'tether-k3x9', cols: 120, rows: 39 });
  assert.equal(r.restoreMode, 'tmux');
  const script = [
    'if command -v tmux >/dev/null 2>&1; then',
    "  exec tmux -L tether new-session -A -D -s tether-k3x9 -x 120 -y 39 ';' set-option -q -t '=tether-k3x9:' @tether 1 ';' set-environment -t '=tether-k3x9:' TETHER_SESSION tether-k3x9",
    'fi',
    `echo '${NO_TMUX_NOTICE}' >&2`,
    'TETHER_SESSION=tether-k3x9; export TETHER_SESSION',
    'exec "${SHELL:-/bin/sh}" -l',
  ].join('\n');
  assert.equal(tmuxScript({ session: 'tether-k3x9', cols: 120, rows: 39 }), script);
  assert.ok(r.command?.startsWith('exec /bin/sh -c '));
});

test('options: -e on tmux >= 3.2, status off, no -D, a private socket', () => {
  const s = tmuxScript({
    session: 'work',
    tmuxVersion: parseTmuxVersion('tmux 3.3a'),
    tmuxStatus: 'off',
    detachOthers: false,
    socket: { path: '/tmp/a b/sock' },
  });
  assert.match(
    s,
    /exec tmux -S '\/tmp\/a b\/sock' new-session -A -s work -e TETHER_SESSION=work ';' set-option -q -t '=work:' @tether 1 ';' set-environment -t '=work:' TETHER_SESSION work ';' set-option -q -t '=work:' status off/,
  );
  assert.doesNotMatch(tmuxScript({ session: 'w', tmuxVersion: parseTmuxVersion('tmux 3.1c') }), / -e /);
  assert.match(tmuxScript({ session: 'w', socket: { name: 'lab' } }), /exec tmux -L lab new-session/);
});

test('nasty names are quoted in every place they appear', () => {
  const s = tmuxScript({ session: "it's $(id)" });
  assert.ok(s.includes(String.raw`TETHER_SESSION='it'\''s $(id)'; export`));
  assert.ok(s.includes(String.raw`-s 'it'\''s $(id)'`));
  assert.ok(s.includes(String.raw`-t '=it'\''s $(id):'`));
});

test('sizes are clamped to what tmux accepts', () => {
  assert.match(tmuxScript({ session: 'w', cols: 0, rows: 1e6 }), / -x 1 -y 10000 /);
});

test('tmux -V parsing', () => {
  assert.deepEqual(parseTmuxVersion('tmux 3.3a'), { major: 3, minor: 3, raw: 'tmux 3.3a' });
  assert.deepEqual(parseTmuxVersion('tmux next-3.4\n'), { major: 3, minor: 4, raw: 'tmux next-3.4' });
  assert.equal(parseTmuxVersion('tmux 1.8')?.minor, 8);
  assert.equal(parseTmuxVersion('tmux master')?.major, 99);
  assert.equal(parseTmuxVersion('tmux openbsd-7.4')?.major, 99);
  assert.equal(parseTmuxVersion('bash: tmux: command not found'), undefined);
});

test('agent forwarding: the shells get a stable link in ~/.ssh, pointed at the current socket on every attach', () => {
  const s = tmuxScript({ session: "it's x", agentLink: true });
  const lines = s.split('\n');
  assert.equal(
    lines[1],
    '  if [ -S "${SSH_AUTH_SOCK:-}" ] && [ -d "$HOME/.ssh" ] && ln -sfn "$SSH_AUTH_SOCK" "$HOME/.ssh/tether-agent-it_s_x.sock" 2>/dev/null; ' +
      'then SSH_AUTH_SOCK="$HOME/.ssh/tether-agent-it_s_x.sock"; export SSH_AUTH_SOCK; fi',
  );
  assert.match(lines[2] ?? '', /^ {2}exec tmux -L tether new-session/);
  assert.doesNotMatch(tmuxScript({ session: 'w' }), /SSH_AUTH_SOCK/);
});
