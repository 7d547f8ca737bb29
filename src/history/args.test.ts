import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TetherError } from '../common/errors.js';
import { parseHistoryArgs, parseSince, sinceCutoff } from './args.js';

const NOW = Date.UTC(2026, 10, 22, 3, 0, 0);

test('no arguments: everything, as a table', () => {
  assert.deepEqual(parseHistoryArgs([]), { json: false, tui: false, help: false });
});

test('host, --since, --cause, --json in any order, separate or = values', () => {
  assert.deepEqual(parseHistoryArgs(['--since', '2d', 'web', '--cause=idle-timeout', '--json']), {
    host: 'web',
    since: { kind: 'ago', ms: 2 * 86_400_000 },
    cause: 'idle-timeout',
    json: true,
    tui: false,
    help: false,
  });
  assert.equal(parseHistoryArgs(['--tui']).tui, true);
  assert.equal(parseHistoryArgs(['--', '-weird-host']).host, '-weird-host');
});

test('--since units and ISO dates', () => {
  assert.equal(sinceCutoff(parseSince('3h'), NOW), NOW - 3 * 3_600_000);
  assert.equal(sinceCutoff(parseSince('30m'), NOW), NOW - 30 * 60_000);
  assert.equal(sinceCutoff(parseSince('45s'), NOW), NOW - 45_000);
  assert.equal(sinceCutoff(parseSince('1w'), NOW), NOW - 7 * 86_400_000);
  assert.equal(sinceCutoff(parseSince('1.5h'), NOW), NOW - 5_400_000);
  assert.equal(sinceCutoff(parseSince('2026-11-21T12:00:00Z'), NOW), Date.UTC(2026, 10, 21, 12));
  assert.equal(sinceCutoff(parseSince('2026-11-21T12:00Z'), NOW), Date.UTC(2026, 10, 21, 12));
});

/** Asserts a usage error whose one-line message contains every fragment. */
function usageError(args: string[], ...fragments: string[]): void {
  assert.throws(
    () => parseHistoryArgs(args),
    (err: unknown) => {
      assert.ok(err instanceof TetherError, String(err));
      assert.equal(err.kind, 'usage');
      assert.ok(!err.message.includes('\n'), 'one line');
      for (const f of fragments) assert.ok(err.message.includes(f), `${err.message} lacks ${f}`);
      return true;
    },
  );
}

test('bad values error cleanly, naming the option and the value', () => {
  usageError(['--since', 'yesterday'], '--since', '"yesterday"', '2d');
  usageError(['--since=2x'], '--since', '"2x"');
  usageError(['--since', '0h'], '--since', '"0h"');
  usageError(['--since', '2026-13-45'], '--since', '"2026-13-45"');
  usageError(['--cause', 'gremlins'], '--cause', '"gremlins"', 'idle-timeout');
  usageError(['--since'], '--since needs a value');
  usageError(['--frobnicate'], 'unknown option "--frobnicate"');
  usageError(['a', 'b'], 'one host only');
  usageError(['--json', '--tui'], '--json and --tui');
  usageError(['--json=yes'], '--json takes no value');
});
