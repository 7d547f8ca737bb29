import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HealingEvent } from './events.js';
import { SessionEvents } from './port.js';

const notice = (text: string): HealingEvent => ({ type: 'notice', at: 1, text, level: 'info' });

test('every subscriber gets every event, in order', () => {
  const port = new SessionEvents();
  const a: string[] = [];
  const b: string[] = [];
  port.subscribe((e) => a.push(e.type === 'notice' ? e.text : e.type));
  port.subscribe((e) => b.push(e.type === 'notice' ? e.text : e.type));
  port.publish(notice('one'));
  port.publish({ type: 'exit', at: 2, code: 0 });
  assert.deepEqual(a, ['one', 'exit']);
  assert.deepEqual(b, ['one', 'exit']);
});

test('a throwing subscriber is reported, never thrown, and the others still hear', () => {
  const failures: string[] = [];
  const port = new SessionEvents((err, e) => failures.push(`${(err as Error).message} on ${e.type}`));
  const heard: string[] = [];
  port.subscribe(() => {
    throw new Error('boom');
  });
  port.subscribe((e) => heard.push(e.type));
  assert.doesNotThrow(() => port.publish(notice('x')));
  assert.deepEqual(heard, ['notice']);
  assert.deepEqual(failures, ['boom on notice']);
});

test('a failing failure report is swallowed too', () => {
  const port = new SessionEvents(() => {
    throw new Error('report failed');
  });
  port.subscribe(() => {
    throw new Error('boom');
  });
  assert.doesNotThrow(() => port.publish(notice('x')));
});

test('dispose unsubscribes (twice is harmless); the same function subscribed twice hears twice', () => {
  const port = new SessionEvents();
  let n = 0;
  const fn = (): void => {
    n++;
  };
  const s1 = port.subscribe(fn);
  const s2 = port.subscribe(fn);
  port.publish(notice('a'));
  assert.equal(n, 2);
  s1.dispose();
  s1.dispose();
  port.publish(notice('b'));
  assert.equal(n, 3);
  s2.dispose();
  port.publish(notice('c'));
  assert.equal(n, 3);
  assert.equal(port.size, 0);
});

test('unsubscribing during a publish does not skip the others', () => {
  const port = new SessionEvents();
  const heard: string[] = [];
  const first = port.subscribe(() => {
    heard.push('first');
    first.dispose();
  });
  port.subscribe(() => heard.push('second'));
  port.publish(notice('a'));
  port.publish(notice('b'));
  assert.deepEqual(heard, ['first', 'second', 'second']);
});
