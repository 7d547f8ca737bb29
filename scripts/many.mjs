// `npm run bench:many [-- N] [-- --write]`: test/lab/many-sessions.test.ts with N interactive tethers (default 20)
// sharing one state directory, through one firewall reset and one firewall idle timeout against the real sshd; with
// --write its figures become BENCHMARKS.md's many-sessions section.
import { runStamp, writeSection } from './bench-section.mjs';
import { countArg, runLabTest } from './lab-script.mjs';

const args = process.argv.slice(2);
const write = args.includes('--write');
const n = countArg(args, 20, 2, 'bench:many', 'N');
const stamp = runStamp();
const { status, out, kept: keep } = runLabTest('test/lab/many-sessions.test.ts', { TETHER_MANY_SESSIONS: String(n) }, 'many');
const figures = [...out.matchAll(/^# (\d+ sessions: .+)$/gm)].map((m) => m[1]);
const ok = status === 0 && /^# pass 2$/m.test(out);
for (const f of figures) console.log(`bench:many: ${f}`);
if (!ok || figures.length !== 2) {
  console.log(out.split('\n').filter((l) => /not ok|error|skip/.test(l)).slice(0, 40).join('\n'));
  console.log(`the whole output: ${keep}`);
  process.exit(1);
}
if (write) {
  writeSection('.', 'many', [
    '## Many sessions: twenty tethers to one host at once',
    '',
    stamp.madeBy(`npm run bench:many -- ${n} --write`),
    '',
    `${n} interactive \`tether\`s in the fault lab, sharing one state directory (history, learned host state), started five at a time against the real sshd. First a firewall RST on port 22 while each has a keystroke in flight: every one must be restored into its own shell (the same PID as before) and leave one whole record in the shared history (every line whole JSON: no appends interleaved or torn). Then, with a firewall that drops idle connections after 8 s (and sshd's MaxStartups raised so that ${n} reconnects at once are not refused before the banner), ${n} idle sessions: every one must record \`idle-timeout\`, come back to its own shell, and the learned limit in hosts.json must stay whole JSON while all of them measure and store it.`,
    '',
    `Result: ${figures.join('; ')}.`,
  ].join('\n'));
  console.log('wrote bench/results/many.md and its section of BENCHMARKS.md');
}
