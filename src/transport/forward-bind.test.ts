// -L/-D listeners bind where OpenSSH's would: loopback unless GatewayPorts or an explicit bind address says otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { parseDumpedDynamicForward, parseDumpedForward } from '../config/forwards.js';
import type { ForwardSpec } from '../config/types.js';
import { startDynamicForward } from './forward-dynamic.js';
import type { LocalListener } from './forward-listener.js';
import { startLocalForward } from './forward-local.js';
import { silentPrompter } from './prompter.js';

/** A non-loopback IPv4 address of this machine, if it has one (a lab namespace or a CI runner does). */
const external = Object.values(networkInterfaces())
  .flat()
  .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;

/** Whether a TCP connect to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** A port free on every address right now (ssh refuses listen port 0 for -L and -D). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '0.0.0.0', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** Starts a -L listener from an `ssh -G` localforward value (the form tether reads), with GatewayPorts as given. */
async function local(dumped: string, gatewayPorts: boolean): Promise<LocalListener> {
  const spec = parseDumpedForward(dumped.replace('PORT', String(await freePort())), 'local') as ForwardSpec;
  const l = await startLocalForward(spec, () => undefined, { prompter: silentPrompter, exitOnForwardFailure: true, gatewayPorts });
  assert.ok(l, `listening for ${dumped}`);
  return l;
}

const cases: { dumped: string; gatewayPorts: boolean; address: string; wildcard: boolean }[] = [
  { dumped: 'PORT [db]:5432', gatewayPorts: false, address: '127.0.0.1', wildcard: false },
  { dumped: '[localhost]:PORT [db]:5432', gatewayPorts: false, address: '127.0.0.1', wildcard: false },
  { dumped: '[127.0.0.1]:PORT [db]:5432', gatewayPorts: true, address: '127.0.0.1', wildcard: false },
  { dumped: 'PORT [db]:5432', gatewayPorts: true, address: '0.0.0.0', wildcard: true },
  { dumped: '[*]:PORT [db]:5432', gatewayPorts: false, address: '0.0.0.0', wildcard: true },
  { dumped: '[]:PORT [db]:5432', gatewayPorts: false, address: '0.0.0.0', wildcard: true },
];

for (const c of cases) {
  test(`-L ${c.dumped.replace('PORT ', 'P ').replace(':PORT', ':P')} with GatewayPorts ${c.gatewayPorts ? 'yes' : 'no'} listens on ${c.address}`, async (t) => {
    const l = await local(c.dumped, c.gatewayPorts);
    t.after(() => l.dispose());
    assert.equal(l.address, c.address);
    assert.ok(l.port !== undefined && l.port > 0);
    assert.equal(await accepts('127.0.0.1', l.port), true, 'reachable on loopback');
    if (external === undefined) t.diagnostic('no non-loopback IPv4 address here: reachability from outside not checked');
    else assert.equal(await accepts(external, l.port), c.wildcard, `reachable on ${external}: ${c.wildcard}`);
  });
}

test('-D without a bind address listens on loopback only; with GatewayPorts on every address', async (t) => {
  for (const gatewayPorts of [false, true]) {
    const spec = parseDumpedDynamicForward(String(await freePort()));
    assert.ok(spec);
    const l = await startDynamicForward(spec, () => undefined, { prompter: silentPrompter, exitOnForwardFailure: true, gatewayPorts });
    assert.ok(l?.port);
    t.after(() => l.dispose());
    assert.equal(l.address, gatewayPorts ? '0.0.0.0' : '127.0.0.1');
    if (external !== undefined) assert.equal(await accepts(external, l.port), gatewayPorts);
  }
});
