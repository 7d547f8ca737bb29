// The effective configuration without an `ssh` binary: ssh_config read as readconf.c does (Include, Host, Match).
import { existsSync, readFileSync } from 'node:fs';
import { TetherError, errorCode, messageOf } from '../common/errors.js';
import type { LocalContext } from './effective.js';
import { parseConfigText } from './fallback-lines.js';
import type { ConfigLine } from './fallback-lines.js';
import { globPaths, hostLineMatches, matchPatternList } from './fallback-patterns.js';
import { OptionStore, expandHostName, finish, resolvedHostname } from './fallback-store.js';
import { expandTilde } from './tokens.js';

/** One setting the command line made, in argv order (built by cli from -p, -l, -o, -4, ...). */
export interface CommandLineSetting {
  /** The ssh_config keyword, lower-case (`port`, `user`, `localforward`, `addressfamily`...). */
  key: string;
  /** The value as an ssh_config line would have it. */
  value: string;
  /** true for flags ssh.c assigns outright (-4 -A -C -t -v ...): they beat -o and the files. */
  force: boolean;
  /** -i: ssh.c drops a file it cannot stat ("Identity file ... not accessible"). */
  mustExist?: boolean;
}

/** What the fallback resolver needs to know. */
export interface FallbackInput {
  /** The host as typed (after `user@`). */
  host: string;
  /** Command-line settings in argv order (-o lines included, as key/value). */
  settings: readonly CommandLineSetting[];
  /** -F: only this file is read. */
  configFile?: string;
  /** Read when there is no -F; default /etc/ssh/ssh_config. */
  systemConfigFile?: string;
  local: LocalContext;
  /** Where "skipped" notes go (Match exec, canonicalization). */
  warn: (message: string) => void;
}

/** State of one pass over the files. */
interface Pass {
  store: OptionStore;
  /** What `Host` lines match: the host as typed, then the final hostname in a final pass. */
  hostForHostLines: string;
  postCanon: boolean;
  wantFinal: boolean;
  input: FallbackInput;
}

/** Match criteria of OpenSSH 9.2's match_cfg_line(): all of them must hold. */
function matchLine(words: readonly string[], p: Pass, where: string): boolean {
  let result = true;
  for (let i = 0; i < words.length; ) {
    const attrib = words[i++] ?? '';
    const negate = attrib.startsWith('!');
    const name = (negate ? attrib.slice(1) : attrib).toLowerCase();
    let r: boolean;
    if (name === 'all') r = true;
    else if (name === 'canonical' || name === 'final') {
      if (name === 'final') p.wantFinal = true;
      r = p.postCanon;
    } else {
      const arg = words[i++];
      if (arg === undefined) throw new TetherError('config', `${where}: Missing Match criteria for ${name}`);
      const user = p.store.get('user') ?? p.input.local.localUser;
      if (name === 'host') r = matchPatternList(resolvedHostnameRaw(p), arg) === 1;
      else if (name === 'originalhost') r = matchPatternList(p.input.host, arg) === 1;
      else if (name === 'user') r = matchPatternList(user, arg) === 1;
      else if (name === 'localuser') r = matchPatternList(p.input.local.localUser, arg) === 1;
      else {
        p.input.warn(`${where}: Match ${name} is not evaluated without an ssh binary; treated as not matching`);
        r = false;
      }
    }
    if (r === negate) result = false;
  }
  return result;
}

/** `Match host` sees HostName with %h expanded but not yet lower-cased. */
function resolvedHostnameRaw(p: Pass): string {
  const h = p.store.get('hostname');
  return h === undefined ? p.input.host : expandHostName(h, p.input.host);
}

/** Reads one file; missing optional files are skipped, as ssh does for ~/.ssh/config. */
function readFile(path: string, p: Pass, opts: { user: boolean; required: boolean; neverMatch: boolean; active: boolean; depth: number }): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (!opts.required && errorCode(err) === 'ENOENT') return;
    throw new TetherError('config', `Can't open user config file ${path}: ${messageOf(err)}`, { cause: err });
  }
  walk(parseConfigText(text, path), p, { ...opts, path, state: { active: opts.active } });
}

interface WalkContext {
  user: boolean;
  neverMatch: boolean;
  depth: number;
  path: string;
  /** readconf.c's *activep, shared by a file and the files it includes (restored after each Include). */
  state: { active: boolean };
}

function walk(lines: readonly ConfigLine[], p: Pass, c: WalkContext): void {
  for (const line of lines) {
    if (line.key === 'host') {
      c.state.active = !c.neverMatch && hostLineMatches(p.hostForHostLines, line.words);
      walk(line.block ?? [], p, c);
    } else if (line.key === 'match') {
      c.state.active = matchLine(line.words, p, c.path) && !c.neverMatch;
      walk(line.block ?? [], p, c);
    } else if (line.key === 'include') {
      if (c.depth >= 16) throw new TetherError('config', `${c.path}: Include nesting too deep`);
      const before = c.state.active;
      for (const word of line.words) {
        let pattern = c.user ? expandTilde(word, p.input.local.home) : word;
        if (!pattern.startsWith('/')) pattern = c.user ? `${p.input.local.home}/.ssh/${pattern}` : `/etc/ssh/${pattern}`;
        for (const file of globPaths(pattern)) {
          readFile(file, p, { user: c.user, required: false, neverMatch: c.neverMatch || !before, active: before, depth: c.depth + 1 });
          c.state.active = before;
        }
      }
    } else if (c.state.active) {
      p.store.set(line.key, line.words, line.text);
    }
  }
}

function runPass(p: Pass, withCommandLine: boolean): void {
  const { input } = p;
  for (const s of withCommandLine ? input.settings : []) {
    if (s.mustExist === true && !existsSync(expandTilde(s.value, input.local.home))) {
      input.warn(`Warning: Identity file ${s.value} not accessible: No such file or directory.`);
      continue;
    }
    for (const line of parseConfigText(`${s.key} ${s.value}`, 'command-line')) p.store.set(line.key, line.words, line.text, s.force);
  }
  const common = { neverMatch: false, active: true, depth: 0 };
  if (input.configFile !== undefined) {
    readFile(expandTilde(input.configFile, input.local.home), p, { ...common, user: true, required: input.configFile !== 'none' });
  } else {
    readFile(`${input.local.home}/.ssh/config`, p, { ...common, user: true, required: false });
    readFile(input.systemConfigFile ?? '/etc/ssh/ssh_config', p, { ...common, user: false, required: false });
  }
}

/**
 * The `ssh -G` dump OpenSSH would print, computed without ssh: command line first, then the
 * files, first value wins; a second pass when a `Match final`/`canonical` asked for one.
 */
export function resolveWithoutSsh(input: FallbackInput): Record<string, string[]> {
  if (input.configFile === 'none') return finish(new OptionStore(), input.host, input.local);
  const first: Pass = { store: new OptionStore(), hostForHostLines: input.host, postCanon: false, wantFinal: false, input };
  runPass(first, true);
  if (['yes', 'always', 'true'].includes(first.store.get('canonicalizehostname') ?? '')) {
    input.warn('CanonicalizeHostname is not applied without an ssh binary');
  }
  if (!first.wantFinal) return finish(first.store, input.host, input.local);
  // ssh.c keeps every option of the first pass and re-reads the files with the final hostname.
  const hostname = resolvedHostname(first.store, input.host);
  first.store.set('hostname', [hostname], hostname, true);
  runPass({ ...first, hostForHostLines: hostname, postCanon: true }, false);
  return finish(first.store, input.host, input.local);
}
