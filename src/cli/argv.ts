// The OpenSSH 9.2 command line: getopt over ssh's optstring, the destination, options after it, the command.
import { TetherError } from '../common/errors.js';
import { parseDestination } from './argv-destination.js';
import type { Destination } from './argv-destination.js';
import { apply, emptyFlags, validHostname } from './argv-flags.js';
import { Getopt } from './argv-getopt.js';
import type { ConnectArgs, ParsedArgv, SequenceItem, SshFlags, SubcommandName, TetherOptions } from './argv-types.js';
import { NO_HOST_USAGE, SSH_USAGE, usageText } from './argv-usage.js';

/** ssh's optstring, read from the OpenSSH 9.2 binary (`-P` is an accepted no-op there, without argument). */
export const SSH_OPTSTRING = '1246ab:c:e:fgi:kl:m:no:p:qstvxAB:CD:E:F:GI:J:KL:MNO:PQ:R:S:TVw:W:XYy';

/** tether's long options (true = takes a value); ssh has no long options, so these never clash. */
const TETHER_LONGS: ReadonlyMap<string, boolean> = new Map([
  ['session', true],
  ['no-tmux', false],
  ['no-status', false],
  ['help', false],
  ['version', false],
]);

/** First-argument words that select a subcommand (a host so named: `tether -- history` or `ssh://history`). */
export const SUBCOMMANDS: readonly SubcommandName[] = ['history', 'doctor', 'sessions', 'config', 'demo', 'dashboard'];

function usage(message?: string): TetherError {
  return new TetherError('usage', usageText(message));
}

/** Mutable state of one parse. */
interface Scan {
  flags: SshFlags;
  tether: TetherOptions;
  sshArgs: string[];
  sequence: SequenceItem[];
  /** Set when -V/-Q ends the run early. */
  exit?: string;
  help?: 'help' | 'version';
}

/** Runs getopt from `start` until the first non-option; returns where it stopped and whether "--" stopped it. */
function scanOptions(argv: readonly string[], start: number, s: Scan): { index: number; terminated: boolean } {
  const g = new Getopt(argv, SSH_OPTSTRING, start, TETHER_LONGS);
  for (;;) {
    const step = g.next();
    if (step.kind === 'end') {
      s.sshArgs.push(...g.consumed);
      return { index: g.index, terminated: step.terminatedByDashes };
    }
    if (step.kind === 'unknown') throw usage(`unknown option -- ${step.letter}`);
    if (step.kind === 'missing-argument') {
      if (step.letter.startsWith('-')) throw new TetherError('usage', `tether: -${step.letter} needs a NAME`);
      throw usage(`option requires an argument -- ${step.letter}`);
    }
    if (step.kind === 'long') {
      if (step.name === 'session') {
        if (step.value === undefined || step.value === '') throw new TetherError('usage', 'tether: --session needs a NAME');
        s.tether.session = step.value;
      } else if (step.value !== undefined) {
        throw new TetherError('usage', `tether: --${step.name} takes no value`);
      } else if (step.name === 'no-tmux') s.tether.noTmux = true;
      else if (step.name === 'no-status') s.tether.noStatus = true;
      else if (step.name === 'help' || step.name === 'version') {
        s.help = step.name;
        return { index: g.index, terminated: false };
      }
      continue;
    }
    s.sequence.push(step.value === undefined ? { letter: step.letter } : { letter: step.letter, value: step.value });
    if (apply(s.flags, step.letter, step.value ?? '') === 'exit') {
      s.exit = step.letter === 'V' ? '-V prints the OpenSSH version' : '-Q queries OpenSSH itself';
      return { index: g.index, terminated: false };
    }
  }
}

/** Drops tether's long options (and --session's value) from argv: what a fallback ssh receives. */
function withoutTetherOptions(argv: readonly string[], optionEnds: readonly [number, number][]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const inOptions = optionEnds.some(([from, to]) => i >= from && i < to);
    const name = a.startsWith('--') ? a.slice(2).split('=')[0] ?? '' : '';
    if (inOptions && TETHER_LONGS.has(name)) {
      if (name === 'session' && !a.includes('=')) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/**
 * Parses tether's argv (without node and script) exactly as OpenSSH 9.2's ssh.c does; throws
 * TetherError('usage') with ssh's own message (unknown option, missing argument, bad port...).
 */
export function parseArgv(argv: readonly string[]): ParsedArgv {
  const first = argv[0];
  if (first !== undefined && (SUBCOMMANDS as readonly string[]).includes(first)) {
    return { kind: 'subcommand', name: first as SubcommandName, args: argv.slice(1) };
  }
  const s: Scan = { flags: emptyFlags(), tether: { noTmux: false, noStatus: false }, sshArgs: [], sequence: [] };
  const spans: [number, number][] = [];
  const before = scanOptions(argv, 0, s);
  spans.push([0, before.index]);
  if (s.help !== undefined) return { kind: s.help };
  if (s.exit !== undefined) return { kind: 'system-ssh', sshArgv: withoutTetherOptions(argv, spans), reason: s.exit };
  const destination = argv[before.index];
  if (destination === undefined) throw new TetherError('usage', NO_HOST_USAGE);
  const target: Destination | undefined = parseDestination(destination);
  if (target === undefined) throw usage();
  s.sequence.push({ destination: true });
  let commandStart = before.index + 1;
  if (!before.terminated && commandStart < argv.length) {
    const after = scanOptions(argv, commandStart, s);
    spans.push([commandStart, after.index]);
    if (s.help !== undefined) return { kind: s.help };
    if (s.exit !== undefined) return { kind: 'system-ssh', sshArgv: withoutTetherOptions(argv, spans), reason: s.exit };
    commandStart = after.index;
  }
  if (s.flags.subsystem && commandStart >= argv.length) throw new TetherError('usage', `You must specify a subsystem to invoke.\n${SSH_USAGE}`);
  // Debian's OpenSSH 9.2 (CVE-2023-51385 backport) refuses these before reading any configuration.
  if ((s.flags.login ?? target.user ?? '').startsWith('-')) throw new TetherError('usage', 'remote username contains invalid characters');
  if (!validHostname(target.host)) throw new TetherError('usage', 'hostname contains invalid characters');
  const result: ConnectArgs = {
    kind: 'connect',
    sshArgs: s.sshArgs,
    sshArgv: withoutTetherOptions(argv, spans),
    destination,
    target,
    command: argv.slice(commandStart),
    flags: s.flags,
    sequence: s.sequence,
    tether: s.tether,
  };
  return result;
}

/** The remote command as ssh sends it: the words joined by single spaces ('' = none, a shell). */
export function commandLine(args: Pick<ConnectArgs, 'command'>): string {
  return args.command.join(' ');
}
