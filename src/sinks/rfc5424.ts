// A reset event as an RFC 5424 syslog line with structured data, and its RFC 6587 octet-counted frame.
import type { ResetEvent } from './event.js';
import { eventFields, eventMessage, isLoss } from './event.js';

/** The SD-ID: a name in the private enterprise-number form (32473 is RFC 5612's number for examples and documentation). */
export const SD_ID = 'tether@32473';

/** Facility user-level (1): tether is a user program. */
const FACILITY = 1;
const SEVERITY_NOTICE = 5;
const SEVERITY_WARNING = 4;

/** An SD-PARAM value with `"`, `\` and `]` escaped as RFC 5424 section 6.3.3 requires. */
export function escapeSdValue(v: string): string {
  return v.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** A header field: printable US-ASCII without spaces, at most `max` characters, or the NILVALUE. */
function headerField(v: string, max: number): string {
  const s = v.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return s === '' ? '-' : s;
}

/** The structured-data parameters in a fixed order; absent values are left out. */
function sdParams(e: ResetEvent): [string, string][] {
  return eventFields(e).map(([k, v]) => [k, String(v)]);
}

/** `<13>1 2026-11-22T03:00:05.120Z laptop tether 4242 b1a7… [tether@32473 id="…" …] reset of db1 …`. */
export function formatRfc5424(e: ResetEvent, pid: number): string {
  const pri = FACILITY * 8 + (isLoss(e) ? SEVERITY_WARNING : SEVERITY_NOTICE);
  const sd = `[${SD_ID}${sdParams(e)
    .map(([k, v]) => ` ${k}="${escapeSdValue(v)}"`)
    .join('')}]`;
  const header = [`<${pri}>1`, e.detectedAt, headerField(e.localHost, 255), 'tether', String(pid), headerField(e.messageId, 32)];
  return `${header.join(' ')} ${sd} ${eventMessage(e)}`;
}

/** RFC 6587 octet counting: the byte length, a space, the message (no trailer, so newlines in it are harmless). */
export function octetFrame(line: string): Buffer {
  const body = Buffer.from(line, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
