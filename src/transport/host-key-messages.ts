// OpenSSH's exact words for host-key trouble (checked against OpenSSH 9.2's output), so users and scripts see ssh's text.
import type { HostKey } from './host-key.js';
import { keyTypeWord } from './host-key.js';
import type { KnownHostEntry } from './known-hosts.js';

const BAR = '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@';

/** The "REMOTE HOST IDENTIFICATION HAS CHANGED" banner up to "Please contact your system administrator." */
function changedBanner(key: HostKey): string[] {
  return [
    BAR,
    '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
    BAR,
    'IT IS POSSIBLE THAT SOMEONE IS DOING SOMETHING NASTY!',
    'Someone could be eavesdropping on you right now (man-in-the-middle attack)!',
    'It is also possible that a host key has just been changed.',
    `The fingerprint for the ${keyTypeWord(key.type)} key sent by the remote host is`,
    `${key.fingerprint}.`,
    'Please contact your system administrator.',
  ];
}

/** The warning for a key that differs from known_hosts; `strict` adds the refusal lines. */
export function changedKeyMessage(key: HostKey, name: string, userFile: string, offending: KnownHostEntry, strict: boolean): string {
  const lines = [
    ...changedBanner(key),
    `Add correct host key in ${userFile} to get rid of this message.`,
    `Offending ${keyTypeWord(offending.keyType)} key in ${offending.file}:${offending.line}`,
    '  remove with:',
    `  ssh-keygen -f "${offending.file}" -R "${name}"`,
  ];
  if (strict) {
    lines.push(`Host key for ${name} has changed and you have requested strict checking.`, 'Host key verification failed.');
  }
  return lines.join('\n');
}

/** The refusal for a key that differs from the one pinned at this session's first connection. */
export function pinnedKeyMessage(key: HostKey, name: string, pinned: HostKey): string {
  return [
    ...changedBanner(key),
    `The ${keyTypeWord(pinned.type)} key seen at this session's first connection was`,
    `${pinned.fingerprint}.`,
    `Host key for ${name} has changed since the first connection; tether will not reconnect to it.`,
    'Host key verification failed.',
  ].join('\n');
}

/** The warning for a key marked @revoked; `strict` adds the refusal lines. */
export function revokedKeyMessage(key: HostKey, name: string, strict: boolean): string {
  const word = keyTypeWord(key.type);
  const lines = [
    BAR,
    '@       WARNING: REVOKED HOST KEY DETECTED!               @',
    BAR,
    `The ${word} host key for ${name} is marked as revoked.`,
    'This could mean that a stolen key is being used to',
    'impersonate this host.',
  ];
  if (strict) {
    lines.push(`${word} host key for ${name} was revoked and you have requested strict checking.`, 'Host key verification failed.');
  }
  return lines.join('\n');
}

/** The refusal of an unknown key under StrictHostKeyChecking yes. */
export function unknownKeyStrictMessage(key: HostKey, name: string): string {
  return `No ${keyTypeWord(key.type)} host key is known for ${name} and you have requested strict checking.\nHost key verification failed.`;
}

/** The question asked under StrictHostKeyChecking ask. */
export function unknownKeyQuestion(
  key: HostKey,
  name: string,
  ip: string,
  otherTypes: readonly KnownHostEntry[],
  otherNames: readonly KnownHostEntry[] = [],
): string {
  const lines: string[] = [];
  for (const other of otherTypes) {
    lines.push(`WARNING: ${keyTypeWord(other.keyType)} key found for host ${name}`, `in ${other.file}:${other.line}`);
  }
  const tail = otherTypes.length > 0 ? '\nbut keys of different type are already known for this host.' : '.';
  lines.push(
    `The authenticity of host '${name} (${ip})' can't be established${tail}`,
    `${keyTypeWord(key.type)} key fingerprint is ${key.fingerprint}.`,
    ...(otherNames.length === 0
      ? ['This key is not known by any other names.']
      : [
          'This host key is known by the following other names/addresses:',
          ...otherNames.map((e) => `    ${e.file}:${e.line}: ${e.hosts.startsWith('|1|') ? '[hashed name]' : e.hosts}`),
        ]),
    'Are you sure you want to continue connecting (yes/no/[fingerprint])? ',
  );
  return lines.join('\n');
}

/** The notice after recording a new key. */
export function addedKeyNotice(names: string, key: HostKey): string {
  return `Warning: Permanently added '${names}' (${keyTypeWord(key.type)}) to the list of known hosts.`;
}
