// -L/-R/-D specifications, parsed as OpenSSH's parse_forward() does, and the forms `ssh -G` prints them in.
import type { DynamicForwardSpec, ForwardSpec } from './types.js';

/** Which option a specification came from: validation differs (listen port 0 only for -R). */
export type ForwardKind = 'local' | 'remote' | 'dynamic';

interface Field {
  arg: string;
  isPath: boolean;
}

/** parse_fwd_field(): `[literal]`, backslash escapes, ':' separators; a '/' makes it a path. */
function splitFields(spec: string): Field[] | undefined {
  const fields: Field[] = [];
  let i = spec.length - spec.trimStart().length;
  while (i < spec.length && fields.length < 4) {
    if (spec.charAt(i) === '[') {
      const close = spec.indexOf(']', i + 1);
      if (close < 0) return undefined;
      const after = spec.charAt(close + 1);
      if (after !== ':' && after !== '') return undefined;
      const arg = spec.slice(i + 1, close);
      fields.push({ arg, isPath: arg.includes('/') });
      i = close + (after === ':' ? 2 : 1);
      continue;
    }
    let arg = '';
    let isPath = false;
    let ended = false;
    for (; i < spec.length; i++) {
      const c = spec.charAt(i);
      if (c === '\\') {
        i++;
        if (i >= spec.length) return undefined;
        arg += spec.charAt(i);
        continue;
      }
      if (c === '/') isPath = true;
      if (c === ':') {
        i++;
        ended = true;
        break;
      }
      arg += c;
    }
    fields.push({ arg, isPath });
    if (!ended) break;
  }
  if (i < spec.length) return undefined; // trailing garbage
  return fields;
}

/** OpenSSH's a2port for forwards: 0..65535, -1 when invalid. */
function port(s: string): number {
  return /^[0-9]+$/.test(s) && Number(s) <= 65535 ? Number(s) : -1;
}

/** A parsed forward before validation: OpenSSH's struct Forward. */
interface Raw {
  listenHost?: string;
  listenPort: number;
  listenPath?: string;
  connectHost?: string;
  connectPort: number;
  connectPath?: string;
}

function toRaw(f: Field[]): Raw | undefined {
  const [a, b, c, d] = f;
  if (a === undefined) return undefined;
  switch (f.length) {
    case 1:
      return a.isPath ? { listenPath: a.arg, listenPort: -2, connectHost: 'socks', connectPort: 0 } : { listenPort: port(a.arg), connectHost: 'socks', connectPort: 0 };
    case 2:
      if (b === undefined) return undefined;
      if (a.isPath && b.isPath) return { listenPath: a.arg, listenPort: -2, connectPath: b.arg, connectPort: -2 };
      if (b.isPath) return { listenPort: port(a.arg), connectPath: b.arg, connectPort: -2 };
      return { listenHost: a.arg, listenPort: port(b.arg), connectHost: 'socks', connectPort: 0 };
    case 3:
      if (b === undefined || c === undefined) return undefined;
      if (a.isPath) return { listenPath: a.arg, listenPort: -2, connectHost: b.arg, connectPort: port(c.arg) };
      if (c.isPath) return { listenHost: a.arg, listenPort: port(b.arg), connectPath: c.arg, connectPort: -2 };
      return { listenPort: port(a.arg), connectHost: b.arg, connectPort: port(c.arg) };
    case 4:
      if (b === undefined || c === undefined || d === undefined) return undefined;
      return { listenHost: a.arg, listenPort: port(b.arg), connectHost: c.arg, connectPort: port(d.arg) };
    default:
      return undefined;
  }
}

/** parse_forward(spec, dynamic, remote) of readconf.c; undefined where ssh says "Bad ... specification". */
function parseRaw(spec: string, dynamic: boolean, remote: boolean): Raw | undefined {
  const fields = splitFields(spec);
  if (fields === undefined) return undefined;
  const raw = toRaw(fields);
  if (raw === undefined) return undefined;
  const n = fields.length;
  if (dynamic) {
    if (n !== 1 && n !== 2) return undefined;
  } else {
    if (n !== 3 && n !== 4 && raw.connectPath === undefined && raw.listenPath === undefined) return undefined;
    if (raw.connectPort <= 0 && raw.connectPath === undefined) return undefined;
  }
  if (raw.listenPort < 0 && raw.listenPath === undefined) return undefined;
  if (!remote && raw.listenPort === 0) return undefined;
  return raw;
}

function toSpec(r: Raw): ForwardSpec {
  const spec: ForwardSpec = {};
  if (r.listenPath !== undefined) spec.bindSocket = r.listenPath;
  else spec.bindPort = r.listenPort;
  if (r.listenHost !== undefined) spec.bindAddress = r.listenHost;
  if (r.connectPath !== undefined) spec.hostSocket = r.connectPath;
  else if (r.connectHost === 'socks' && r.connectPort === 0) spec.remoteSocks = true;
  else {
    spec.hostAddress = r.connectHost;
    spec.hostPort = r.connectPort;
  }
  return spec;
}

/** A `-L`/`LocalForward` or `-R`/`RemoteForward` specification; undefined if ssh would reject it. */
export function parseForward(spec: string, kind: 'local' | 'remote'): ForwardSpec | undefined {
  const raw = parseRaw(spec, false, kind === 'remote') ?? (kind === 'remote' ? parseRaw(spec, true, true) : undefined);
  return raw === undefined ? undefined : toSpec(raw);
}

/** A `-D`/`DynamicForward` specification; undefined if ssh would reject it. */
export function parseDynamicForward(spec: string): DynamicForwardSpec | undefined {
  const raw = parseRaw(spec, true, false);
  if (raw === undefined || raw.listenPath !== undefined) return undefined;
  return raw.listenHost === undefined ? { bindPort: raw.listenPort } : { bindAddress: raw.listenHost, bindPort: raw.listenPort };
}

/** One `localforward`/`remoteforward` value of `ssh -G` ("5432 [db]:5432", "/a.sock /b.sock"). */
export function parseDumpedForward(value: string, kind: 'local' | 'remote'): ForwardSpec | undefined {
  const sp = value.indexOf(' ');
  if (sp < 0) return undefined;
  // ssh prints a remote SOCKS forward (`-R 8022`) as "8022 [socks]:0", which parse_forward would not take back.
  if (kind === 'remote' && value.slice(sp + 1) === '[socks]:0') return parseForward(value.slice(0, sp), 'remote');
  return parseForward(`${value.slice(0, sp)}:${value.slice(sp + 1)}`, kind);
}

/** One `dynamicforward` value of `ssh -G`; undefined for the unix-socket -L lines ssh 9.2 also prints there. */
export function parseDumpedDynamicForward(value: string): DynamicForwardSpec | undefined {
  return value.includes('/') ? undefined : parseDynamicForward(value);
}

/** A spec in `ssh -G`'s own format, so the fallback resolver prints what ssh prints. */
export function formatForward(f: ForwardSpec): string {
  const listen = f.bindSocket ?? (f.bindAddress === undefined ? `${f.bindPort ?? 0}` : `[${f.bindAddress}]:${f.bindPort ?? 0}`);
  const connect = f.hostSocket ?? (f.remoteSocks === true ? '[socks]:0' : `[${f.hostAddress ?? ''}]:${f.hostPort ?? 0}`);
  return `${listen} ${connect}`;
}

/** A dynamic spec in `ssh -G`'s format. */
export function formatDynamicForward(f: DynamicForwardSpec): string {
  return f.bindAddress === undefined ? `${f.bindPort}` : `[${f.bindAddress}]:${f.bindPort}`;
}
