// The reset log on disk: JSON Lines, appended with one write(2) per line, read leniently.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TetherError } from '../common/errors.js';
import { ensurePrivateDir, PRIVATE_FILE_MODE, statProblem } from '../common/private-fs.js';
import type { ResetRecord, ResetUpdate } from './record.js';
import { RECORD_VERSION, readRecord, readUpdate, toPlain } from './record.js';

/** File name of the log inside tether's state directory. */
export const RESETS_FILE = 'resets.jsonl';

/** The log inside tether's state directory (config/paths.ts resolves that directory from XDG_STATE_HOME). */
export function resetsPath(stateDir: string): string {
  return join(stateDir, RESETS_FILE);
}

/** A fresh id for a reset record. */
export function newResetId(): string {
  return randomUUID();
}

/** Most of the log read by `tether history` (the newest part of a bigger file): a 1 GB file must not be loaded. */
export const MAX_READ_BYTES = 64 * 1048576;

/** Opens the log without following a symlink, and only if it is this user's regular file. */
async function openOwn(file: string, flags: number): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await open(file, flags | constants.O_NOFOLLOW, PRIVATE_FILE_MODE);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') throw new Error('is a symbolic link (tether does not follow links for its own files)', { cause: err });
    throw err;
  }
  const why = statProblem(await fh.stat());
  if (why !== undefined) {
    await fh.close();
    throw new Error(why);
  }
  return fh;
}

/** Appends one JSON object as one line with a single write on an O_APPEND descriptor. */
async function appendObject(file: string, obj: object): Promise<void> {
  const line = `${JSON.stringify(obj)}\n`;
  try {
    ensurePrivateDir(dirname(file));
    const fh = await openOwn(file, constants.O_RDWR | constants.O_APPEND | constants.O_CREAT);
    try {
      const st = await fh.stat();
      if ((st.mode & 0o777) !== PRIVATE_FILE_MODE) await fh.chmod(PRIVATE_FILE_MODE);
      // a line cut short (a crash, a full disk) must not swallow this one: it starts on a line of its own
      const last = Buffer.alloc(1);
      const cut = st.size > 0 && (await fh.read(last, 0, 1, st.size - 1)).bytesRead === 1 && last[0] !== 0x0a;
      const buf = Buffer.from(cut ? `\n${line}` : line, 'utf8');
      // One write(2): with O_APPEND the kernel places the whole buffer at the end atomically
      // with respect to other appenders, so concurrent tether processes never interleave.
      const { bytesWritten } = await fh.write(buf, 0, buf.length);
      if (bytesWritten !== buf.length) throw new Error(`short write (${bytesWritten} of ${buf.length} bytes)`);
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new TetherError('io', `cannot append to ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Appends a reset record (directory created 0700, file 0600). */
export async function appendReset(file: string, record: ResetRecord): Promise<void> {
  await appendObject(file, toPlain(record));
}

/** Appends a follow-up line for a record already written: merged into it on read, never rewritten. */
export async function appendUpdate(file: string, id: string, fields: ResetUpdate): Promise<void> {
  await appendObject(file, { v: RECORD_VERSION, id, update: true, ...readUpdate({ ...fields }) });
}

/** Where warnings about damaged lines go (the cli passes stderr). */
export type Warn = (message: string) => void;

/** Reads every record, oldest first by detectedAt, with update lines merged. Missing file = none. A file bigger
 * than MAX_READ_BYTES is read from its last MAX_READ_BYTES on, with a warning. */
export async function readResets(file: string, warn: Warn): Promise<ResetRecord[]> {
  let text: string;
  try {
    const fh = await openOwn(file, constants.O_RDONLY);
    try {
      const { size } = await fh.stat();
      if (size <= MAX_READ_BYTES) text = await fh.readFile('utf8');
      else {
        const buf = Buffer.alloc(MAX_READ_BYTES);
        const { bytesRead } = await fh.read(buf, 0, MAX_READ_BYTES, size - MAX_READ_BYTES);
        const tail = buf.subarray(0, bytesRead);
        const nl = tail.indexOf(0x0a); // the first line is cut: skip it (all of it when there is no line end)
        text = nl < 0 ? '' : tail.subarray(nl + 1).toString('utf8');
        warn(`tether: ${file} is ${Math.round(size / 1048576)} MiB: only records in its last ${MAX_READ_BYTES / 1048576} MiB are read`);
      }
    } finally {
      await fh.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new TetherError('io', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseResets(text, file, warn);
}

/** Parses the log's text; each damaged line gets one warning naming the file and line number. */
export function parseResets(text: string, file: string, warn: Warn): ResetRecord[] {
  const byId = new Map<string, ResetRecord>();
  const pending: { line: number; id: string; update: ResetUpdate }[] = [];
  const skip = (n: number, why: string): void => warn(`tether: ${file} line ${n}: ${why}, skipped`);
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const n = i + 1;
    if (line.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      skip(n, 'not valid JSON');
      return;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      skip(n, 'not a JSON object');
      return;
    }
    const o = obj as Record<string, unknown>;
    if (o.update === true) {
      if (o.v !== RECORD_VERSION || typeof o.id !== 'string') skip(n, 'not a valid update line');
      else pending.push({ line: n, id: o.id, update: readUpdate(o) });
      return;
    }
    const r = readRecord(o);
    if (typeof r === 'string') skip(n, `not a reset record (${r})`);
    else if (byId.has(r.id)) skip(n, `duplicate id ${r.id}`);
    else byId.set(r.id, r);
  });
  for (const p of pending) {
    const r = byId.get(p.id);
    if (r === undefined) skip(p.line, `update for unknown id ${p.id}`);
    else Object.assign(r, p.update);
  }
  return [...byId.values()].sort((a, b) => Date.parse(a.detectedAt) - Date.parse(b.detectedAt));
}
