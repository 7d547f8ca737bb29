import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDashboardArgs } from './args.js';

test('--port, --port=, --no-open, --help', () => {
  assert.deepEqual(parseDashboardArgs([]), { port: 0, open: true, help: false });
  assert.deepEqual(parseDashboardArgs(['--port', '8080', '--no-open']), { port: 8080, open: false, help: false });
  assert.equal(parseDashboardArgs(['--port=9']).port, 9);
  assert.equal(parseDashboardArgs(['-h']).help, true);
});

test('bad values name the option and the value', () => {
  assert.throws(() => parseDashboardArgs(['--port']), /--port wants a port number 1\.\.65535, not ""/);
  assert.throws(() => parseDashboardArgs(['--port', '70000']), /not "70000"/);
  assert.throws(() => parseDashboardArgs(['--port', '0x50']), /not "0x50"/);
  assert.throws(() => parseDashboardArgs(['--open-wide']), /unknown option "--open-wide"/);
});
