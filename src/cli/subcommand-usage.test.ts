import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SUBCOMMAND_USAGE, wantsHelp } from './subcommand-usage.js';

test('every subcommand has a usage naming it', () => {
  for (const name of ['history', 'doctor', 'sessions', 'config', 'demo']) assert.match(SUBCOMMAND_USAGE[name] ?? '', new RegExp(`^usage: tether ${name}`), name);
});

test('--help anywhere before "--", or -h first, asks for help', () => {
  assert.ok(wantsHelp(['--help']));
  assert.ok(wantsHelp(['-p', '2222', 'host', '--help']));
  assert.ok(wantsHelp(['-h']));
  assert.ok(!wantsHelp(['host', '-h']), 'not an ssh option, but not first: left to the subcommand');
  assert.ok(!wantsHelp(['host', '--', '--help']));
  assert.ok(!wantsHelp([]));
});
