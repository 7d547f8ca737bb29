// Benchmark: no false outage on a lossy path. Every client types a key every 200 ms (a no-op command line every 20
// keys) for the window while the lab firewall drops 5 % of the packets both ways; we count what each client took for
// an outage: tether's reset records and reconnects, OpenSSH's disconnects, mosh's "Last contact" notices.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Lab } from '../test/lab/index.js';
import { startClient, PROMPT } from './clients.js';
import type { ClientSpec } from './clients.js';
import { summarize } from './stats.js';
import type { BenchResult, Row } from './results.js';
import { log, resetLab, sleep } from './util.js';

/** Loss in percent, both directions (iptables `statistic --mode random`). */
const LOSS_PERCENT = 5;

/** Lines of tether's reset history next to its trace (bench homes: <home>/trace.log, <home>/state/tether/resets.jsonl). */
function tetherResets(traceFile: string): number {
  const file = join(dirname(traceFile), 'state', 'tether', 'resets.jsonl');
  if (!existsSync(file)) return 0;
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.includes('"update":true')).length;
}

/** Runs the window and returns the table. */
export async function runLoss(lab: Lab, specs: readonly ClientSpec[], windowS: number): Promise<BenchResult> {
  const clients = specs.map((s) => startClient(lab, s));
  try {
    await Promise.all(clients.map((c) => c.pty.waitFor(PROMPT, 30_000)));
    await sleep(3000);
    const raw = clients.map(() => '');
    const offs = clients.map((c, i) => c.pty.onRaw((d) => void (raw[i] = (raw[i] ?? '') + d)));
    await lab.loss(LOSS_PERCENT);
    log(`loss: ${windowS} s of typing through ${LOSS_PERCENT} % loss, ${clients.length} clients`);
    const end = Date.now() + windowS * 1000;
    let n = 0;
    while (Date.now() < end) {
      const key = n % 20 === 0 ? '\r: ' : String.fromCharCode(97 + (n % 26));
      for (const c of clients) c.pty.write(key);
      n++;
      await sleep(200);
    }
    await lab.loss(0);
    await sleep(3000);
    for (const off of offs) off();
    const rows: Row[] = clients.map((c, i) => {
      const text = raw[i] ?? '';
      if (c.traceFile !== undefined) {
        const trace = existsSync(c.traceFile) ? readFileSync(c.traceFile, 'utf8') : '';
        const suspects = (trace.match(/-> suspect\b/g) ?? []).length;
        const reconnects = (trace.match(/-> reconnecting\b/g) ?? []).length;
        return { tool: c.spec.label, command: c.command, summary: summarize([tetherResets(c.traceFile)]), targeted: true, note: `reset records; ${reconnects} reconnects, ${suspects} suspect verdicts (path checked, link kept), ${n} keys` };
      }
      const re = c.spec.kind === 'mosh' ? /Last contact/g : /not responding|Broken pipe|closed by remote host|Connection reset/g;
      const count = (text.match(re) ?? []).length;
      return { tool: c.spec.label, command: c.command, summary: summarize([count]), ...(c.spec.kind === 'ssh-loop' ? { baseline: true } : {}), note: c.spec.kind === 'mosh' ? '"Last contact" notices' : 'disconnects' };
    });
    return {
      id: 'loss',
      title: `No false outage: ${Math.round(windowS / 60)} min of typing through ${LOSS_PERCENT} % packet loss`,
      unit: 'outages',
      target: { kind: 'max', value: 0, text: 'tether records no reset' },
      rows,
      notes: [`All clients at once; a key every 200 ms (bash echoes each), a no-op command line every 20 keys; the lab firewall drops ${LOSS_PERCENT} % of forwarded packets both ways (iptables statistic, random). n is 1 window.`],
    };
  } finally {
    for (const c of clients) c.pty.kill();
    await lab.loss(0).catch(() => undefined);
    await resetLab(lab);
  }
}
