import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkedWords, convtime } from './fallback-values.js';
import { parseConfigText } from './fallback-lines.js';
import { globPaths, globSegment, matchPattern } from './fallback-patterns.js';

test('convtime as OpenSSH: plain seconds and unit groups; junk is undefined', () => {
  assert.equal(convtime('90'), 90);
  assert.equal(convtime('1m30s'), 90);
  assert.equal(convtime('2H'), 7200);
  for (const bad of ['', 'x', '1x', '-1', '1.5m', '99999999999']) assert.equal(convtime(bad), undefined, bad);
});

test("a bad port or time in ssh_config is a config error in ssh's words, not a silent default (found by fuzzing)", () => {
  assert.deepEqual(checkedWords('port', ['0022']), ['22']);
  for (const bad of ['99999', '0', 'x', '']) assert.throws(() => checkedWords('port', [bad]), { name: 'TetherError', message: `Bad port '${bad}'.` });
  assert.deepEqual(checkedWords('serveraliveinterval', ['1m']), ['60']);
  assert.throws(() => checkedWords('connecttimeout', ['soon']), /invalid time value 'soon'/);
  assert.deepEqual(checkedWords('controlpersist', ['yes']), ['yes']);
});

test('a keyword without an argument is reported as ssh does, not as a TypeError (found by fuzzing)', () => {
  assert.throws(() => parseConfigText('Port 22\nHost \n', 'cfg'), { name: 'TetherError', message: 'cfg line 2: no argument after keyword "host"' });
  assert.throws(() => parseConfigText('User=', 'cfg'), /cfg line 1: no argument after keyword "user"/);
  assert.equal(parseConfigText('# Host\n\n', 'cfg').length, 0);
  assert.throws(() => parseConfigText('Port 22\nHost==\n', 'cfg'), { name: 'TetherError', message: 'cfg line 2: a line tether cannot read' });
});

test('a pattern of many stars matches in linear time (a regex took exponential time: found by fuzzing)', () => {
  assert.equal(matchPattern('a'.repeat(200), `${'*a'.repeat(60)}b`), false);
  assert.equal(matchPattern('web-01.example', 'web-??.*'), true);
});

test('Include globs: classes, an unclosed [ taken literally (it made an invalid RegExp: found by fuzzing), no blow-up', () => {
  const cases: [string, string, boolean][] = [
    ['a.conf', '*.conf', true],
    ['b.conf', '[ab].conf', true],
    ['c.conf', '[ab].conf', false],
    ['c.conf', '[!ab].conf', true],
    ['x', '[a-z]', true],
    ['[', '[', true],
    ['a]', '[]a]]', true],
    ['ab', '[', false],
    ['xy.conf', '?.conf', false],
  ];
  for (const [name, pattern, want] of cases) assert.equal(globSegment(name, pattern), want, `${pattern} against ${name}`);
  assert.equal(globSegment('a'.repeat(255), `${'*a'.repeat(60)}b`), false);
  assert.deepEqual(globPaths('/['), []);
});
