// The `history` view as text: a table on a terminal (bold, colours, fitted), plain aligned
// columns when piped, one JSON object per line with --json; plus the per-host summary.
import { confidenceLabel } from '../diagnosis/classify.js';
import type { Cause } from '../diagnosis/cause.js';
import { formatDuration } from '../diagnosis/format.js';
import type { HostSummary } from './query.js';
import type { ResetRecord } from './record.js';
import { cleanText, toPlain } from './record.js';

/** How to draw: colours/bold and a width to fit (terminal), or plain full lines (pipe). */
export interface TextStyle {
  color: boolean;
  /** Columns to fit each row into; undefined = no limit. */
  width?: number;
}

const ESC = '\u001b[';
const paint = (on: boolean, code: string, s: string): string => (on ? `${ESC}${code}m${s}${ESC}0m` : s);

/** Colour per cause family: server side red, path yellow, client/handshake cyan. */
const CAUSE_COLOR: Record<Cause, string> = {
  reboot: '31',
  'server-restart': '31',
  'session-killed': '31',
  'refused-before-banner': '35',
  firewall: '33',
  'idle-timeout': '33',
  network: '33',
  'client-suspend': '36',
  protocol: '36',
  auth: '36',
  'host-key-changed': '1;31',
  unknown: '2',
};

/** `2026-11-21 12:00:05Z` from an ISO instant. */
export function shortTime(isoText: string): string {
  const ms = Date.parse(isoText);
  if (Number.isNaN(ms)) return isoText;
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** `--json`: the records, one object per line, oldest first. */
export function renderJson(records: readonly ResetRecord[]): string {
  return records.map((r) => `${JSON.stringify(toPlain(r))}\n`).join('');
}

const HEADERS = ['WHEN', 'HOST', 'CAUSE', 'CONF', 'DOWN', 'OUTCOME', 'WHY'] as const;

function cells(r: ResetRecord): string[] {
  return [
    shortTime(r.detectedAt),
    cleanText(r.host),
    r.cause,
    `${r.confidence.toFixed(2)} ${confidenceLabel(r.confidence)}`,
    r.downtimeMs === null ? '-' : formatDuration(r.downtimeMs),
    r.outcome,
    cleanText(r.evidence[0] ?? r.trigger),
  ];
}

/** The table of resets; the last column is cut to fit `width` (or dropped when there is no room). */
export function renderTable(records: readonly ResetRecord[], style: TextStyle): string {
  if (records.length === 0) return '';
  let headers: string[] = [...HEADERS];
  let rows = records.map(cells);
  let widths = headers.map((h, i) => Math.max(h.length, ...rows.map((c) => (c[i] ?? '').length)));
  const used = widths.slice(0, -1).reduce((a, w) => a + w + 2, 0);
  const room = style.width === undefined ? Infinity : style.width - used;
  if (room < 12) {
    headers = headers.slice(0, -1);
    rows = rows.map((c) => c.slice(0, -1));
    widths = widths.slice(0, -1);
  } else if (room !== Infinity) {
    rows = rows.map((c) => c.map((t, i) => (i === 6 && t.length > room ? `${t.slice(0, room - 1)}…` : t)));
  }
  const line = (c: readonly string[], decorate: (i: number, padded: string) => string): string =>
    c
      .map((text, i) => decorate(i, i === c.length - 1 ? text : text.padEnd(widths[i] ?? 0)))
      .join('  ')
      .replace(/\s+$/, '');
  const out = [line(headers, (_i, p) => paint(style.color, '1', p))];
  rows.forEach((c, k) => {
    const cause = records[k]?.cause ?? 'unknown';
    out.push(
      line(c, (i, p) => {
        if (i === 2) return paint(style.color, CAUSE_COLOR[cause], p);
        if (i === 6) return paint(style.color, '2', p);
        return p;
      }),
    );
  });
  return `${out.join('\n')}\n`;
}

/** The per-host summary: resets by cause, total downtime, learned idle limit, keep-alive. */
export function renderSummary(summaries: readonly HostSummary[], style: TextStyle): string {
  if (summaries.length === 0) return '';
  const hostWidth = Math.max(...summaries.map((s) => cleanText(s.host).length));
  const lines = summaries.map((s) => {
    const causes = s.byCause.map((c) => `${c.cause} ${c.count}`).join(', ');
    const parts = [
      `${s.resets} reset${s.resets === 1 ? '' : 's'} (${causes})`,
      `down ${formatDuration(s.downtimeMs)} in total`,
      `idle limit ${s.idleLimitMs === undefined ? 'not learned' : formatDuration(s.idleLimitMs)}`,
      `keep-alive ${s.keepaliveMs === undefined ? 'default' : formatDuration(s.keepaliveMs)}`,
    ];
    return `${paint(style.color, '1', cleanText(s.host).padEnd(hostWidth))}  ${parts.join('; ')}`;
  });
  return `${paint(style.color, '1', 'Per host')}\n${lines.join('\n')}\n`;
}
