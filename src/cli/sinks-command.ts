// `tether history --sinks` (each sink's state) and `tether history --export` (the whole history, once, to every sink).
import { TetherError } from '../common/errors.js';
import { anySinkConfigured } from '../config/sink-settings.js';
import { openSettings } from '../config/settings.js';
import { readResets, resetsPath } from '../history/log.js';
import { sinkSettings } from './sinks-wiring.js';
import { VERSION } from './version.js';

/** Longest wait for an export to be delivered; the rest stays queued and goes with the next tether. */
const EXPORT_FLUSH_MS = 15_000;

const NONE = 'tether: no log sink is configured (tether config set syslog tcp://host:port | journald true | otlp http://host:4318)';

/** What the command reads and writes. */
export interface SinksCommandIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  configDir: string;
  stateDir: string;
}

/** Runs `history --sinks` or `history --export`; resolves to the exit status (1 when an export left events queued). */
export async function runSinksHistory(args: readonly string[], io: SinksCommandIo): Promise<number> {
  if (args.length !== 1) throw new TetherError('usage', 'history: --sinks and --export take no other argument');
  const settings = sinkSettings((await openSettings(io.configDir)).all(), io.env);
  if (!anySinkConfigured(settings)) {
    io.stderr.write(`${NONE}\n`);
    return args[0] === '--sinks' ? 0 : 1;
  }
  const { sinkReport } = await import('../sinks/report.js');
  if (args[0] === '--export') {
    const records = await readResets(resetsPath(io.env, io.home), (m) => io.stderr.write(`${m}\n`));
    const { openSinks } = await import('../sinks/open.js');
    const sinks = await openSinks(settings, { stateDir: io.stateDir, version: VERSION });
    await sinks.exportAll(records);
    await sinks.close(EXPORT_FLUSH_MS);
    io.stdout.write(`tether: ${records.length} reset${records.length === 1 ? '' : 's'} exported\n`);
  }
  const lines = await sinkReport(settings, io.stateDir);
  for (const line of lines) io.stdout.write(`${line}\n`);
  const queued = args[0] === '--export' && lines.some((l) => !/, 0 queued/.test(l));
  return queued ? 1 : 0;
}
