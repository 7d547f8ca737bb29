// The soak: one interactive tether through many induced resets of mixed kinds against the real sshd (a firewall
// RST, the session killed, a blackhole with the session killed behind it, sshd crashed and restarted). Every
// reset restores the same shell and leaves one record; tether's memory, descriptors and sockets stay flat; Node
// never warns about a listener leak. TETHER_SOAK_RESETS sets the count: a few in the lab tier, 500 under
// `npm run soak`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { test } from 'node:test';
import { healCase } from '../helpers/tether-lab-case.js';
import { remoteShellPid, shortTcpRetries, typeLine, waitForOutage, waitForResets, waitForRestore } from '../helpers/tether-lab.js';
import type { TetherRun } from '../helpers/tether-lab.js';
import type { Lab } from './index.js';

const RESETS = Math.max(1, Number(process.env.TETHER_SOAK_RESETS ?? 4) || 4);

interface Fault {
  readonly name: string;
  readonly apply: (lab: Lab) => Promise<unknown>;
  readonly undo: (lab: Lab) => Promise<unknown>;
  /** Type a key after applying: the link is only found dead when something is sent. */
  readonly poke: boolean;
}

const FAULTS: readonly Fault[] = [
  { name: 'firewall RST', apply: (lab) => lab.blockPort('rst'), undo: (lab) => lab.unblockPort(), poke: true },
  { name: 'session killed', apply: (lab) => lab.killSession(), undo: async () => undefined, poke: false },
  { name: 'blackhole', apply: (lab) => lab.blackhole(), undo: async (lab) => ((await lab.killSession()) && lab.restorePath()), poke: true },
  { name: 'sshd restart', apply: (lab) => lab.killSshdAll(), undo: (lab) => lab.startSshd(), poke: false },
];

/** What the tether process holds: resident memory (kB), open descriptors, and how many of them are sockets. */
function footprint(pid: number): { rssKb: number; fds: number; sockets: number } {
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  const fds = readdirSync(`/proc/${pid}/fd`);
  let sockets = 0;
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`).startsWith('socket:')) sockets++;
    } catch {
      // closed while we looked
    }
  }
  return { rssKb, fds: fds.length, sockets };
}

/**
 * Live processes the lab user runs on the server (shells, tmux, tether's remote helpers). Zombies are left out: this
 * machine's PID 1 does not reap the orphans the faults kill, so they stay as <defunct> whoever made them.
 */
async function serverProcesses(lab: Lab): Promise<number> {
  const r = await lab.execInServer('ps', ['-u', lab.user, '-o', 'stat=']);
  return r.stdout.split('\n').filter((s) => s.trim() !== '' && !s.trim().startsWith('Z')).length;
}

/** One fault, from applying it to the restore the trace reports. */
async function oneReset(lab: Lab, r: TetherRun, f: Fault): Promise<void> {
  const since = r.trace().length;
  await f.apply(lab);
  if (f.poke) typeLine(r, '');
  await waitForOutage(r, 30_000, since);
  await new Promise((res) => setTimeout(res, 300));
  await f.undo(lab);
  await waitForRestore(r, 60_000, since);
}

test(`soak: ${RESETS} mixed resets in one session: same shell, ${RESETS} records, memory and descriptors flat`, { timeout: 120_000 + RESETS * 30_000 }, async (t) => {
  await healCase(t, {}, async ({ lab, start }) => {
    await shortTcpRetries(lab);
    const r = await start({ env: { NODE_OPTIONS: '--trace-warnings' } });
    const shell = await remoteShellPid(r, 'start');
    const mark = Math.floor(RESETS / 10); // from reset 50 of 500 on: start-up and first-use allocations are done
    let atMark = footprint(r.pid);
    let remoteAtMark = await serverProcesses(lab);
    /** RSS (MB) after every tenth of the run: a leak climbs all the way, a heap settling in flattens out. */
    const rssTrace: string[] = [];
    const started = Date.now();
    for (let i = 0; i < RESETS; i++) {
      const f = FAULTS[i % FAULTS.length] as Fault;
      try {
        await oneReset(lab, r, f);
      } catch (err) {
        if (err instanceof Error) err.message = `reset ${i + 1} (${f.name}): ${err.message}`;
        throw err;
      }
      if (i + 1 === mark) {
        atMark = footprint(r.pid);
        remoteAtMark = await serverProcesses(lab);
      }
      if (mark > 0 && (i + 1) % mark === 0) rssTrace.push((footprint(r.pid).rssKb / 1024).toFixed(1));
      if ((i + 1) % 10 === 0 || i + 1 === RESETS) {
        const now = await remoteShellPid(r, `r${i + 1}`);
        const odd = r.resets().filter((x) => x.outcome !== 'restored');
        assert.equal(now, shell, `the same shell after reset ${i + 1} (${f.name}); records not restored: ${JSON.stringify(odd)}`);
      }
    }
    const recs = await waitForResets(r, RESETS, 30_000);
    // the last outage's probe sockets close themselves within a second when no attempt took them
    let end = footprint(r.pid);
    for (let i = 0; i < 30 && (end.fds > atMark.fds + 4 || end.sockets > atMark.sockets + 2); i++) {
      await new Promise((res) => setTimeout(res, 200));
      end = footprint(r.pid);
    }
    // the last reconnect's background helpers (the start lock's holder waits up to 2 s for tmux to list the client;
    // the stale-client sweep) end on their own: wait for them as for the probe sockets above
    const remoteLimit = remoteAtMark + 3;
    let remoteEnd = await serverProcesses(lab);
    for (let i = 0; i < 25 && remoteEnd > remoteLimit; i++) {
      await new Promise((res) => setTimeout(res, 200));
      remoteEnd = await serverProcesses(lab);
    }
    const perReset = (Date.now() - started) / RESETS;
    const line = `soak: ${RESETS} resets, ${recs.length} records, ${Math.round(perReset)} ms per reset; from reset ${mark} to the end: RSS ${atMark.rssKb} → ${end.rssKb} kB, descriptors ${atMark.fds} → ${end.fds}, sockets ${atMark.sockets} → ${end.sockets}; the lab user's processes on the server ${remoteAtMark} → ${remoteEnd}; RSS after each tenth of the run: ${rssTrace.join(', ')} MB`;
    t.diagnostic(line);
    process.stderr.write(`[soak] ${line}\n`);
    assert.equal(recs.length, RESETS, 'one record per reset');
    assert.deepEqual(new Set(recs.map((x) => x.outcome)), new Set(['restored']), 'every reset restored');
    assert.doesNotMatch(r.driver.output(), /MaxListenersExceededWarning|Warning: Possible EventEmitter memory leak/, 'no listener leak warning');
    assert.ok(end.fds <= atMark.fds + 4, `descriptors flat: ${atMark.fds} → ${end.fds}`);
    assert.ok(end.sockets <= atMark.sockets + 2, `sockets flat: ${atMark.sockets} → ${end.sockets}`);
    if (RESETS >= 100) assert.ok(end.rssKb - atMark.rssKb < 10 * 1024, `RSS grew under 10 MB: ${atMark.rssKb} → ${end.rssKb} kB`);
    // a 500-reset run once left 395 pane-log readers on the server after about 300 resets (each outlived its
    // connection); a reader now ends with its connection
    const listing = remoteEnd <= remoteLimit ? '' : (await lab.execInServer('ps', ['-u', lab.user, '-o', 'pid,ppid,etime,args'])).stdout;
    assert.ok(remoteEnd <= remoteLimit, `the lab user's processes stay flat: ${remoteAtMark} → ${remoteEnd}\n${listing}`);
  });
});
