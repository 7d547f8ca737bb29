// `npm run soak [-- RESETS] [-- --write]`: test/lab/soak.test.ts with RESETS mixed resets (default 500) in one
// interactive session against the real sshd; with --write its figures become BENCHMARKS.md's soak section.
import { runStamp, writeSection } from './bench-section.mjs';
import { countArg, runLabTest } from './lab-script.mjs';

const args = process.argv.slice(2);
const write = args.includes('--write');
const resets = countArg(args, 500, 1, 'soak', 'RESETS');
const stamp = runStamp();
const { status, out, kept: keep } = runLabTest('test/lab/soak.test.ts', { TETHER_SOAK_RESETS: String(resets) }, 'soak');
const figures = /# soak: (.+)$/m.exec(out)?.[1];
const ok = status === 0 && /^ok 1 /m.test(out);
console.log(figures ? `soak: ${figures}` : 'soak: no figures (see the output below)');
if (!ok) {
  console.log(out.split('\n').filter((l) => /not ok|error|reset \d+|skip/.test(l)).slice(0, 40).join('\n'));
  console.log(`the whole output: ${keep}`);
  process.exit(1);
}
if (write && figures) {
  writeSection('.', 'soak', [
    '## Soak: one session through many mixed resets',
    '',
    stamp.madeBy(`npm run soak -- ${resets} --write`),
    '',
    'One interactive `tether` in the fault lab against the real sshd, through resets in turn: a firewall RST, the sshd session killed, a blackhole with the session killed behind it, sshd crashed and restarted. Every reset must restore the same shell (checked every 25 resets and at the end) and leave one record; memory (VmRSS), descriptors and sockets of the tether process are read from /proc at a tenth of the run and at the end (target: RSS growth under 10 MB, descriptors and sockets flat); Node must print no MaxListenersExceededWarning. Not in the mix: the idle timeout (after the first one tether pings below the learned limit, so it cannot recur in one session).',
    '',
    `Result: ${figures}; every reset restored into the same shell; no listener-leak warning.`,
  ].join('\n'));
  console.log('wrote bench/results/soak.md and its section of BENCHMARKS.md');
}
