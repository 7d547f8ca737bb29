// Step 5: over a session on the server: boot, uptime, sshd master, load, memory, OOM and sshd journal lines, and
// sshd's ClientAlive settings (`sshd -T` where permitted, else sshd_config).
import type { RemoteExec } from '../../remote/exec.js';
import { shScriptCommand } from '../../remote/exec.js';
import { mergeServerFacts } from '../../remote/evidence-parse.js';
import { collectFastFacts, collectSlowFacts } from '../../remote/session-facts.js';
import type { ClientAlive, ServerResult } from './types.js';

/** Why the server's sshd settings are not read: no sshd was found above this session's shell. */
export const NOT_OUR_SSHD = 'no sshd above this session on the server, so its sshd settings would describe another server';

/** How far back the sshd journal is read. */
const JOURNAL_WINDOW_SEC = 3600;

// sshd -T needs root on most systems (it loads the host keys); without it read the files, first value winning, as
// sshd does, with the drop-in directory first (Debian includes it at the top) and stopping at the first Match block.
const CLIENT_ALIVE_SCRIPT = `
echo tether-doctor-begin
out=
for s in sshd /usr/sbin/sshd /usr/local/sbin/sshd; do
  out=$($s -T 2>/dev/null | grep -i '^clientalive') && [ -n "$out" ] && break
done
if [ -n "$out" ]; then echo source=sshd-T; printf '%s\\n' "$out"
else
  files=
  for f in /etc/ssh/sshd_config.d/*.conf /etc/ssh/sshd_config; do [ -r "$f" ] && files="$files $f"; done
  if [ -n "$files" ]; then
    echo source=sshd_config
    for f in $files; do awk 'tolower($1)=="match"{exit} {print}' "$f" 2>/dev/null; done | grep -i '^[[:space:]]*clientalive'
  fi
fi
n=$(nproc 2>/dev/null || getconf _NPROCESSORS_ONLN 2>/dev/null) && echo "nproc=$n"
echo tether-doctor-end
`;

/** Parses the ClientAlive script's output; pure. */
export function parseClientAlive(stdout: string): { clientAlive: ClientAlive; nproc?: number } {
  const lines = stdout.split('\n').map((l) => l.trim());
  const begin = lines.indexOf('tether-doctor-begin');
  const body = begin < 0 ? [] : lines.slice(begin + 1);
  let source: ClientAlive['source'] = 'unknown';
  let interval: number | undefined;
  let countMax: number | undefined;
  let nproc: number | undefined;
  for (const line of body) {
    if (line === 'tether-doctor-end') break;
    if (line === 'source=sshd-T') source = 'sshd -T';
    else if (line === 'source=sshd_config') source = 'sshd_config';
    const n = /^nproc=(\d+)$/.exec(line);
    if (n?.[1]) nproc = Number(n[1]);
    const kv = /^clientalive(interval|countmax)\s*=?\s*(\d+)/i.exec(line);
    if (kv?.[1] && kv[2]) {
      if (kv[1].toLowerCase() === 'interval') interval ??= Number(kv[2]);
      else countMax ??= Number(kv[2]);
    }
  }
  // Unset in a readable sshd_config means OpenSSH's defaults: ClientAliveInterval 0, ClientAliveCountMax 3.
  if (source === 'sshd_config') {
    interval ??= 0;
    countMax ??= 3;
  }
  return {
    clientAlive: { source, ...(interval === undefined ? {} : { interval }), ...(countMax === undefined ? {} : { countMax }) },
    ...(nproc === undefined ? {} : { nproc }),
  };
}

/** Reads the server side over `exec`; never throws (what could not be read is absent). */
export async function serverStep(exec: RemoteExec): Promise<ServerResult> {
  const fast = await collectFastFacts(exec, { timeoutMs: 5000 });
  const since = (fast.nowEpoch ?? Math.floor(Date.now() / 1000)) - JOURNAL_WINDOW_SEC;
  const slow = await collectSlowFacts(exec, { sinceEpoch: since, timeoutSec: 3, timeoutMs: 8000 });
  const facts = mergeServerFacts(fast, slow);
  // `sshd -T` and sshd_config describe the sshd installed there, which is the one serving us only when this
  // session runs under it (an embedded server, a second sshd on another port, a container's port forward...)
  if (facts.sshdMasterSource !== 'ancestry') return { facts, clientAlive: { source: 'unknown', why: NOT_OUR_SSHD } };
  let parsed: ReturnType<typeof parseClientAlive> = { clientAlive: { source: 'unknown' } };
  try {
    const r = await exec(shScriptCommand(CLIENT_ALIVE_SCRIPT), { timeoutMs: 5000 });
    parsed = parseClientAlive(r.stdout);
  } catch {
    // the settings stay unknown
  }
  return { facts, ...parsed };
}
