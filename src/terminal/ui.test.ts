import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { TerminalUI, type UIAction } from './ui.js';

/** A TerminalUI on pipes standing for a 24x80 terminal; records what it sends, does and writes. */
function setup(statusBar = true) {
  const stdin = new PassThrough();
  const stdout = Object.assign(new PassThrough(), { columns: 80, rows: 24 });
  let screen = '';
  stdout.on('data', (d: Buffer) => (screen += d.toString()));
  const ui = new TerminalUI();
  const sent: string[] = [];
  const actions: UIAction['type'][] = [];
  ui.onInput((b) => sent.push(b.toString('latin1')));
  ui.onAction((a) => actions.push(a.type));
  ui.start({ stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream, statusBar, pinBar: true, now: () => 1000 });
  const type = async (s: string): Promise<void> => {
    stdin.write(Buffer.from(s, 'latin1'));
    await new Promise((r) => setImmediate(r));
  };
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 60));
  return { ui, sent, actions, type, settle, output: () => screen };
}

test('keys go to the remote, escapes become actions', async () => {
  const t = setup();
  try {
    assert.deepEqual(t.ui.remoteSize(), { rows: 23, cols: 80 });
    await t.type('ls\r~r~b~?');
    assert.deepEqual(t.sent, ['ls\r']);
    assert.deepEqual(t.actions, ['reconnect', 'toggle-bar', 'help']);
    assert.match(t.output(), /Supported escape sequences/);
    await t.type('x'); // closes the help panel: not typing
    assert.deepEqual(t.sent, ['ls\r']);
    await t.type('y');
    assert.deepEqual(t.sent, ['ls\r', 'y']);
    await t.type('\r~.');
    assert.deepEqual(t.actions, ['reconnect', 'toggle-bar', 'help', 'disconnect']);
  } finally {
    t.ui.dispose();
  }
});

test('~s during an outage covers the outage panel, which comes back when a key closes it', async () => {
  const t = setup();
  try {
    t.ui.showOutage({ host: 'db', downSince: 1000, attempt: 2 });
    await t.settle();
    assert.match(t.output(), /The link to db is down/);
    t.ui.showInfo('last diagnosis', ['cause: firewall (confidence 0.90)', `→ ${'advice '.repeat(30)}end-of-advice`]);
    await t.settle();
    const shown = t.output();
    assert.match(shown, /end-of-advice/, 'a long line is wrapped, not cut');
    const mark = shown.length;
    await t.type('q');
    await t.settle();
    assert.deepEqual(t.sent, [], 'the closing key is not typed');
    assert.match(t.output().slice(mark), /The link to db is down/, 'the outage panel is back');
  } finally {
    t.ui.dispose();
  }
});

test('in the outage panel: r retries, ~. quits without a newline first', async () => {
  const t = setup();
  try {
    await t.type('abc');
    t.ui.showOutage({ host: 'h', downSince: 0 });
    await t.type('r');
    assert.deepEqual(t.actions, ['reconnect']);
    assert.deepEqual(t.sent, ['abc']);
    await t.type('~.');
    assert.deepEqual(t.actions, ['reconnect', 'disconnect']);
  } finally {
    t.ui.dispose();
  }
});

test("the terminal's size report tells the remote its own rows", async () => {
  const t = setup();
  try {
    await t.type('\x1b[8;24;80t');
    assert.deepEqual(t.sent, ['\x1b[8;23;80t']);
  } finally {
    t.ui.dispose();
  }
  const full = setup(false);
  try {
    assert.deepEqual(full.ui.remoteSize(), { rows: 24, cols: 80 });
    await full.type('\x1b[8;24;80t');
    assert.deepEqual(full.sent, ['\x1b[8;24;80t']);
  } finally {
    full.ui.dispose();
  }
});

test('remote output reaches the screen, the bar is fenced, dispose resets the region', async () => {
  const t = setup();
  t.ui.setStatus({ host: 'example', state: 'connected' });
  assert.equal(t.ui.writeRemote(Buffer.from('hello\x1b[r')), true);
  await new Promise((r) => setImmediate(r));
  assert.ok(t.output().includes('\x1b[1;23r'));
  assert.match(t.output(), / example │ connected/);
  assert.ok(t.output().includes('hello\x1b[1;23r'));
  t.ui.dispose();
  t.ui.dispose();
  await new Promise((r) => setImmediate(r));
  assert.ok(t.output().includes('\x1b7\x1b[r\x1b8'));
  assert.equal(t.ui.writeRemote(Buffer.from('late')), true);
});
