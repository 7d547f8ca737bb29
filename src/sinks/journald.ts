// The journald sink: one entry with MESSAGE_ID and TETHER_* fields, written by `logger --journald`
// (the journal's native protocol needs a datagram Unix socket, which Node cannot open).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ResetEvent } from './event.js';
import { eventFields, eventMessage, isLoss } from './event.js';
import type { SinkTransport } from './transport.js';

/** The socket journald listens on; absent where journald does not run. */
export const JOURNAL_SOCKET = '/run/systemd/journal/socket';

/** Whether journald runs on this machine. */
export function journaldRunning(): boolean {
  return existsSync(JOURNAL_SOCKET);
}

/** `detectedAt` → `DETECTED_AT`. */
const fieldName = (k: string): string => `TETHER_${k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}`;

/** The entry's fields, one `NAME=value` line each (values are single-line: history/record.ts cleaned them). */
export function journalFields(e: ResetEvent): string[] {
  const lines = [
    `MESSAGE_ID=${e.messageId}`,
    `MESSAGE=tether: ${eventMessage(e)}`,
    `PRIORITY=${isLoss(e) ? 4 : 5}`,
    'SYSLOG_IDENTIFIER=tether',
  ];
  for (const [k, v] of eventFields(e)) lines.push(`${fieldName(k)}=${String(v).replace(/\n/g, ' ')}`);
  return lines;
}

/** How the journald sink runs its writer (tests substitute a command that records stdin). */
export interface JournaldOptions {
  command?: readonly [string, ...string[]];
  timeoutMs?: number;
}

/** Writes each event as one journal entry. */
export class JournaldSink implements SinkTransport {
  readonly name = 'journald';
  readonly target = 'journald';
  private readonly command: readonly [string, ...string[]];

  constructor(private readonly opts: JournaldOptions = {}) {
    this.command = opts.command ?? ['logger', '--journald'];
  }

  send(event: ResetEvent): Promise<void> {
    const [cmd, ...args] = this.command;
    return new Promise((resolve, reject) => {
      const child = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), this.opts.timeoutMs ?? 5000);
      child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`${cmd}: ${err.message}`, { cause: err }));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new Error(`${cmd} failed (${signal ?? `exit ${String(code)}`})${stderr.trim() ? `: ${stderr.trim().split('\n')[0] ?? ''}` : ''}`));
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(`${journalFields(event).join('\n')}\n`);
    });
  }

  close(): void {}
}
