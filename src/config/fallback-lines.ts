// Reading ssh_config text with the `ssh-config` package into flat keyword/arguments lines.
import SSHConfig from 'ssh-config';
import type { Line } from 'ssh-config';
import { TetherError, messageOf } from '../common/errors.js';

/** One directive: a lower-case keyword, its words, and for Host/Match the lines of its block. */
export interface ConfigLine {
  key: string;
  words: string[];
  /** The value as written (quotes removed), for keywords that take the rest of the line (ProxyCommand...). */
  text: string;
  block?: ConfigLine[];
}

/** Splits a value on spaces as OpenSSH's argv_split() does: quotes group (anywhere in a word), `\\` escapes. */
export function splitWords(s: string): string[] {
  const out: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    const n = s.charAt(i + 1);
    if (c === '\\' && (n === '"' || n === "'" || n === '\\' || (quote === '' && /\s/.test(n)))) {
      word += s.charAt(++i);
      inWord = true;
    } else if (quote !== '') {
      if (c === quote) quote = '';
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) out.push(word);
  return out;
}

function convert(lines: readonly Line[]): ConfigLine[] {
  const out: ConfigLine[] = [];
  for (const line of lines) {
    if (!('param' in line)) continue;
    const value = line.value;
    const words = typeof value === 'string' ? splitWords(value) : value.map((v) => v.val);
    const text = typeof value === 'string' ? value : value.map((v) => v.val).join(' ');
    const entry: ConfigLine = { key: line.param.toLowerCase(), words, text };
    if ('config' in line) entry.block = convert(line.config);
    out.push(entry);
  }
  return out;
}

/** A keyword alone on its line, as readconf.c reports it (the package would fail on it with a TypeError). */
function checkArguments(text: string, name: string): void {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*([^\s=#"][^\s=]*)\s*=?\s*$/.exec(lines[i] ?? '');
    if (m?.[1] !== undefined) throw new TetherError('config', `${name} line ${i + 1}: no argument after keyword "${m[1].toLowerCase()}"`);
  }
}

/** Parses one file's text; `name` only for the error message. */
export function parseConfigText(text: string, name: string): ConfigLine[] {
  checkArguments(text, name);
  try {
    return convert(SSHConfig.parse(text));
  } catch (err) {
    throw new TetherError('config', `${name}${failingLine(text)}: ${err instanceof TypeError ? 'a line tether cannot read' : messageOf(err)}`, { cause: err });
  }
}

/** ` line N` for the first line the package fails on alone (its TypeErrors name no line), or ''. */
function failingLine(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    try {
      convert(SSHConfig.parse(lines[i] ?? ''));
    } catch {
      return ` line ${i + 1}`;
    }
  }
  return '';
}
