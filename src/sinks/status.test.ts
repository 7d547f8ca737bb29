import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneLine, statusLine } from './status.js';

test('one line per sink: ok or failing, the last success and error, the queue', () => {
  assert.equal(statusLine('syslog', 'tcp://h:1', {}, 0), 'syslog tcp://h:1: ok (nothing sent yet), 0 queued');
  assert.equal(
    statusLine('otlp', 'http://c/v1/logs', { lastSuccessAt: '2026-01-01T00:00:00.000Z', lastErrorAt: '2026-01-02T00:00:00.000Z', lastError: 'HTTP 503' }, 3),
    'otlp http://c/v1/logs: failing (2026-01-02T00:00:00.000Z: HTTP 503; last sent 2026-01-01T00:00:00.000Z), 3 queued',
  );
  assert.equal(
    statusLine('journald', 'journald', { lastSuccessAt: '2026-01-03T00:00:00.000Z', lastErrorAt: '2026-01-02T00:00:00.000Z', dropped: 2 }, 0),
    'journald journald: ok (last sent 2026-01-03T00:00:00.000Z), 0 queued, 2 dropped (queue full)',
  );
  assert.equal(oneLine(new Error('a\n  b\tc')), 'a b c');
});
