// `tether history --tui`: a blessed browser — the resets in a list, the selected one's evidence
// and advice in a detail pane, the per-host summary at the bottom; q quits.
import blessed from 'blessed';
import { confidenceLabel } from '../diagnosis/classify.js';
import { formatDuration } from '../diagnosis/format.js';
import type { HostSummary } from './query.js';
import type { ResetRecord } from './record.js';
import { cleanText } from './record.js';
import { renderSummary, shortTime } from './view-text.js';

/** Where the browser draws and reads keys (the real tty, or streams in tests). */
export interface TuiStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** terminfo name; default from $TERM via blessed. */
  terminal?: string;
}

/** One list row: when, host, cause, downtime. */
export function listRow(r: ResetRecord): string {
  const down = r.downtimeMs === null ? '-' : formatDuration(r.downtimeMs);
  return cleanText(`${shortTime(r.detectedAt)}  ${r.host}  ${r.cause}  ${down}  ${r.outcome}`);
}

/** The detail pane text for one reset: the facts, the evidence, the advice. */
export function detailText(r: ResetRecord): string {
  const bullet = (xs: readonly string[]): string[] => (xs.length === 0 ? ['  (none)'] : xs.map((x) => `  • ${cleanText(x)}`));
  return [
    cleanText(`${r.host}  (${r.user === '' ? '' : `${r.user}@`}${r.hostname}:${r.port})${r.session === null ? '' : `  session ${r.session}`}`),
    `cause ${r.cause}  confidence ${r.confidence.toFixed(2)} (${confidenceLabel(r.confidence)})  outcome ${r.outcome}`,
    cleanText(
      `trigger ${r.trigger}  attempts ${r.attempts}  down ${r.downtimeMs === null ? '-' : formatDuration(r.downtimeMs)}` +
        `  keep-alive ${r.keepaliveMs === null ? '-' : formatDuration(r.keepaliveMs)}`,
    ),
    `last heard ${shortTime(r.lastHeardAt)}  detected ${shortTime(r.detectedAt)}  restored ${r.restoredAt === null ? '-' : shortTime(r.restoredAt)}`,
    '',
    'Evidence',
    ...bullet(r.evidence),
    '',
    'Advice',
    ...bullet(r.advice),
  ].join('\n');
}

/** Shows the browser until q / Esc / Ctrl-C; resolves when the screen is gone. */
export function runHistoryTui(
  records: readonly ResetRecord[],
  summaries: readonly HostSummary[],
  streams: TuiStreams,
): Promise<void> {
  const screen = blessed.screen({
    input: streams.input,
    output: streams.output,
    terminal: streams.terminal,
    smartCSR: true,
    fullUnicode: true,
    warnings: false,
    title: 'tether history',
  } as unknown as blessed.Widgets.IScreenOptions);
  const list = blessed.list({
    parent: screen,
    top: 0,
    left: 0,
    width: '100%',
    height: '45%',
    border: 'line',
    label: ` resets (${records.length}, oldest first) `,
    keys: true,
    vi: true,
    mouse: true,
    tags: false,
    style: { selected: { inverse: true }, border: { fg: 'cyan' } },
    items: records.length === 0 ? ['no resets recorded'] : records.map(listRow),
  });
  const detail = blessed.box({
    parent: screen,
    top: '45%',
    left: 0,
    width: '100%',
    height: '55%-3',
    border: 'line',
    label: ' detail ',
    tags: false,
    scrollable: true,
    alwaysScroll: true,
    keys: true,
    vi: true,
    mouse: true,
    scrollbar: { ch: ' ', style: { inverse: true } },
  });
  const footer = blessed.box({ parent: screen, bottom: 0, left: 0, width: '100%', height: 3, tags: false });
  /** The selected reset's host line of the summary, and the keys. */
  const footerText = (r: ResetRecord | undefined): string => {
    const s = summaries.find((x) => x.host === r?.host);
    const line = s === undefined ? '' : renderSummary([s], { color: false }).split('\n')[1] ?? '';
    return `${line}\n↑/↓ select  Tab detail/list  q quit`;
  };
  const show = (i: number): void => {
    const r = records[i];
    detail.setContent(r === undefined ? '' : detailText(r));
    footer.setContent(footerText(r));
    detail.setScrollPerc(0);
    screen.render();
  };
  list.on('select item', (_item: unknown, index: number) => show(index));
  screen.key(['tab'], () => {
    if (screen.focused === list) detail.focus();
    else list.focus();
    screen.render();
  });
  return new Promise((resolve) => {
    screen.key(['q', 'escape', 'C-c'], () => {
      screen.destroy();
      resolve();
    });
    list.focus();
    const last = Math.max(0, records.length - 1);
    list.select(last);
    show(last);
  });
}
