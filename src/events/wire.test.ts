import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyLiveView } from './live-view.js';
import { LineSplitter, encodeLiveLine, parseLiveLine } from './wire.js';

test('a snapshot and an event survive the round trip', () => {
  const view = emptyLiveView(7, 100);
  const snap = parseLiveLine(encodeLiveLine({ kind: 'snapshot', view }).trim());
  assert.equal(snap?.kind, 'snapshot');
  assert.equal(snap?.kind === 'snapshot' ? snap.view.pid : -1, 7);
  const ev = parseLiveLine(encodeLiveLine({ kind: 'event', event: { type: 'exit', at: 5, code: 0 } }));
  assert.deepEqual(ev, { kind: 'event', event: { type: 'exit', at: 5, code: 0 } });
});

test('lines that are not messages are refused', () => {
  for (const bad of ['', 'nope', '[]', '{"kind":"event","event":{"type":"rm -rf","at":1}}', '{"kind":"event","event":{"type":"exit"}}', '{"kind":"snapshot","view":{}}']) {
    assert.equal(parseLiveLine(bad), undefined, bad);
  }
});

test('the splitter joins chunks split anywhere and drops an endless line', () => {
  const text = `${encodeLiveLine({ kind: 'event', event: { type: 'exit', at: 5, code: 0 } })}${encodeLiveLine({ kind: 'snapshot', view: emptyLiveView(1, 1) })}`;
  for (let cut = 0; cut <= text.length; cut++) {
    const s = new LineSplitter();
    const lines = [...s.push(text.slice(0, cut)), ...s.push(text.slice(cut))];
    assert.equal(lines.length, 2, `cut at ${cut}`);
  }
  const s = new LineSplitter(10);
  assert.deepEqual(s.push('x'.repeat(50)), []);
  assert.deepEqual(s.push('\n{"a":1}\n'), ['{"a":1}']);
});
