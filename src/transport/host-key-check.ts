// Host-key verification as ssh does it: the pinned key first, then known_hosts under StrictHostKeyChecking, recording
// newly accepted keys in the first UserKnownHostsFile.
import { appendFileSync, openSync, readSync, closeSync, fstatSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isIP } from 'node:net';
import { TetherError } from '../common/errors.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../common/private-fs.js';
import type { EffectiveConfig } from '../config/types.js';
import type { HostKey } from './host-key.js';
import type { Prompter } from './prompter.js';
import type { KnownHostEntry } from './known-hosts.js';
import { formatKnownHostsLines, judgeHostKey, knownHostsName, parseKnownHosts } from './known-hosts.js';
import {
  addedKeyNotice,
  changedKeyMessage,
  pinnedKeyMessage,
  revokedKeyMessage,
  unknownKeyQuestion,
  unknownKeyStrictMessage,
} from './host-key-messages.js';

/** What the check concluded when it let the connection go on. */
export interface HostKeyCheckResult {
  /** True when a changed or revoked key was let through under StrictHostKeyChecking no: ssh then disables
   * password and keyboard-interactive authentication and all forwarding. */
  readonly unsafe: boolean;
}

/** Inputs of one host-key check. */
export interface HostKeyCheckInput {
  readonly config: EffectiveConfig;
  readonly prompter: Prompter;
  readonly key: HostKey;
  /** The peer's IP address; undefined through a ProxyJump channel. */
  readonly remoteIp?: string;
  /** The key seen at this session's first connection: any other key is refused. */
  readonly pinned?: HostKey;
}

/** Reads every known_hosts file (user files first, then global); missing or unreadable files count as empty. */
export function loadKnownHosts(config: EffectiveConfig): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const file of [...config.userKnownHostsFiles, ...config.globalKnownHostsFiles]) {
    try {
      entries.push(...parseKnownHosts(readFileSync(file, 'utf8'), file));
    } catch {
      // ssh silently ignores known_hosts files it cannot open
    }
  }
  return entries;
}

/** Checks a server's host key; resolves when it may be used, throws a fatal TetherError when it may not. */
export async function checkHostKey(input: HostKeyCheckInput): Promise<HostKeyCheckResult> {
  const { config, key, prompter } = input;
  const name = knownHostsName(config.hostname, config.port, config.hostKeyAlias);
  if (input.pinned) {
    if (input.pinned.data.equals(key.data)) return { unsafe: false };
    throw new TetherError('host-key-changed', pinnedKeyMessage(key, name, input.pinned));
  }
  const entries = loadKnownHosts(config);
  const verdict = judgeHostKey(entries, name, key.type, key.data);
  const strict = config.strictHostKeyChecking;
  const userFile = config.userKnownHostsFiles[0] ?? '~/.ssh/known_hosts';
  switch (verdict.status) {
    case 'ok':
      return { unsafe: false };
    case 'revoked':
      if (strict !== 'no') throw new TetherError('host-key-revoked', revokedKeyMessage(key, name, true));
      prompter.info(revokedKeyMessage(key, name, false));
      return continueUnsafe(config, prompter);
    case 'changed':
      if (strict !== 'no') {
        throw new TetherError('host-key-changed', changedKeyMessage(key, name, userFile, verdict.entry, true));
      }
      prompter.info(changedKeyMessage(key, name, userFile, verdict.entry, false));
      return continueUnsafe(config, prompter);
    case 'new':
      break;
  }
  // ssh also accepts a key recorded under the bare host name when connecting to a non-standard port.
  if (config.hostKeyAlias === undefined && config.port !== 22) {
    const bare = judgeHostKey(entries, config.hostname.toLowerCase(), key.type, key.data);
    if (bare.status === 'ok') return { unsafe: false };
  }
  if (strict === 'yes') throw new TetherError('host-key-unknown', unknownKeyStrictMessage(key, name));
  // ssh's confirm() answers "no" by itself in BatchMode, without a word.
  if (strict === 'ask' && config.batchMode) throw new TetherError('host-key-unknown', 'Host key verification failed.');
  const ip = input.remoteIp === undefined ? '<no hostip for proxy command>' : knownHostsName(input.remoteIp, config.port);
  if (strict === 'ask' && !(await confirmKey(prompter, unknownKeyQuestion(key, name, ip, verdict.otherTypes, sameKeyElsewhere(entries, key)), key))) {
    throw new TetherError('host-key-unknown', 'Host key verification failed.');
  }
  recordKey(config, prompter, key, name, input.remoteIp);
  return { unsafe: false };
}

/** Entries holding this very key under other names (ssh 8.5+ lists them in the question). */
function sameKeyElsewhere(entries: readonly KnownHostEntry[], key: HostKey): KnownHostEntry[] {
  return entries.filter((e) => e.marker === undefined && e.key.equals(key.data));
}

/** Asks until the answer is yes, no, or the key's fingerprint (ssh's confirm loop); no answer means no. */
async function confirmKey(prompter: Prompter, question: string, key: HostKey): Promise<boolean> {
  let ask = question;
  for (;;) {
    const answer = (await prompter.confirm(ask))?.trim();
    if (answer === undefined) return false;
    const lower = answer.toLowerCase();
    if (lower === 'yes' || answer === key.fingerprint) return true;
    if (lower === 'no') return false;
    ask = "Please type 'yes', 'no' or the fingerprint: ";
  }
}

/** Appends the key to the first user known_hosts file (creating its directory 0700); a failure is a warning. */
function recordKey(config: EffectiveConfig, prompter: Prompter, key: HostKey, name: string, remoteIp?: string): void {
  const file = config.userKnownHostsFiles[0];
  if (file === undefined) return;
  const names = [name];
  if (config.checkHostIp && remoteIp !== undefined && isIP(config.hostname) === 0 && config.hostKeyAlias === undefined) {
    names.push(knownHostsName(remoteIp, config.port));
  }
  try {
    ensurePrivateDir(dirname(file), false); // ~/.ssh is the user's: created 0700 as ssh does, never re-moded
    const prefix = endsWithoutNewline(file) ? '\n' : '';
    appendFileSync(file, prefix + formatKnownHostsLines(names, key.type, key.data, config.hashKnownHosts), { mode: PRIVATE_FILE_MODE });
  } catch {
    prompter.info(`Failed to add the host to the list of known hosts (${file}).`);
    return;
  }
  prompter.info(addedKeyNotice(config.hashKnownHosts ? name : names.join(','), key));
}

/** Whether a file exists, is non-empty and lacks a final newline (so an append would join two lines). */
function endsWithoutNewline(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/** ssh's "continue_unsafe": say what is disabled; ExitOnForwardFailure with forwards makes it fatal. */
function continueUnsafe(config: EffectiveConfig, prompter: Prompter): HostKeyCheckResult {
  const lines: string[] = [];
  if (config.passwordAuthentication) lines.push('Password authentication is disabled to avoid man-in-the-middle attacks.');
  if (config.kbdInteractiveAuthentication) {
    lines.push('Keyboard-interactive authentication is disabled to avoid man-in-the-middle attacks.');
  }
  if (config.forwardAgent) lines.push('Agent forwarding is disabled to avoid man-in-the-middle attacks.');
  if (config.forwardX11) lines.push('X11 forwarding is disabled to avoid man-in-the-middle attacks.');
  const forwards = config.localForwards.length + config.remoteForwards.length + config.dynamicForwards.length;
  if (forwards > 0) lines.push('Port forwarding is disabled to avoid man-in-the-middle attacks.');
  for (const line of lines) prompter.info(line);
  if (config.exitOnForwardFailure && (forwards > 0 || config.forwardAgent || config.forwardX11)) {
    throw new TetherError('host-key-changed', 'Error: forwarding disabled due to host key check failure');
  }
  return { unsafe: true };
}
