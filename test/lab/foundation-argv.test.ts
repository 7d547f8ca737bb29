// Argv parity against the real sshd: for real-world command lines, tether and OpenSSH's ssh give the same exit status
// and the same stdout bytes (stderr may differ in wording for -v/-t; it is shown, not compared).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { report, sshInClientRaw, tempDir, tetherInClient } from '../helpers/foundation.js';
import type { Lab } from './index.js';
import { startLab } from './index.js';

/** A config file carrying the key and known_hosts, so the table's rows look like what people type. */
function labConfig(lab: Lab, dir: string): string {
  const cfg = join(dir, 'ssh_config');
  writeFileSync(
    cfg,
    [
      'Host *',
      `  IdentityFile ${lab.clientKey.privatePath}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${lab.knownHostsPath}`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  UpdateHostKeys no',
      '  BatchMode yes',
      '  ConnectTimeout 10',
      '',
    ].join('\n'),
  );
  return cfg;
}

interface Row {
  /** argv after `-F cfg`; H is the server address, U the lab user. */
  readonly argv: (h: string, u: string, dir: string) => string[];
  /** stdin for both clients. */
  readonly input?: string;
  /** Extra environment for both clients. */
  readonly env?: Record<string, string>;
  /** The stdout both must print (asserted for tether, and for ssh so the row proves something). */
  readonly stdout: string;
  /** The status both must end with. */
  readonly code: number;
}

const ROWS: Row[] = [
  { argv: (h, u) => ['-p', '22', '-l', u, h, 'echo', 'x'], stdout: 'x\n', code: 0 },
  { argv: (h, u) => ['-p22', `-l${u}`, h, 'echo attached'], stdout: 'attached\n', code: 0 },
  { argv: (h, u) => ['--', `${u}@${h}`, 'ls', '-d', '/'], stdout: '/\n', code: 0 },
  { argv: (h, u) => [`${u}@${h}`, '--', 'echo', 'a', 'b'], stdout: 'a b\n', code: 0 },
  { argv: (h, u) => [`${u}@${h}`, '-o', 'LogLevel=ERROR', 'echo', 'y'], stdout: 'y\n', code: 0 },
  { argv: (h, u) => ['-oPort=22', '-T', `${u}@${h}`, 'echo $((6*7))'], stdout: '42\n', code: 0 },
  { argv: (h, u) => ['-4', '-C', '-q', `${u}@${h}`, 'echo', 'a  b', '"c  d"'], stdout: 'a b c  d\n', code: 0 },
  { argv: (h, u) => ['-n', `${u}@${h}`, 'cat; echo end'], input: 'must not be read\n', stdout: 'end\n', code: 0 },
  { argv: (h, u) => [`${u}@${h}`, 'cat; exit 4'], input: 'piped in\n', stdout: 'piped in\n', code: 4 },
  { argv: (h, u) => [`${u}@${h}`], input: 'echo from-script\nexit 6\n', stdout: 'from-script\n', code: 6 },
  { argv: (h, u) => [`ssh://${u}@${h}:22`, 'echo uri'], stdout: 'uri\n', code: 0 },
  { argv: (h, u) => ['-e', 'none', '-a', '-x', '-k', `${u}@${h}`, 'exit 5'], stdout: '', code: 5 },
  { argv: (h, u) => ['-v', `${u}@${h}`, 'echo verbose'], stdout: 'verbose\n', code: 0 },
  { argv: (h, u) => ['-t', `${u}@${h}`, 'echo no-tty-here'], stdout: 'no-tty-here\n', code: 0 },
  { argv: (h, u, dir) => ['-E', join(dir, 'ssh.log'), `${u}@${h}`, 'echo logged'], stdout: 'logged\n', code: 0 },
  { argv: (h, u) => ['-o', 'SendEnv=TETHER_PARITY', `${u}@${h}`, 'echo "[$TETHER_PARITY]"'], env: { TETHER_PARITY: 'sent' }, stdout: '[sent]\n', code: 0 },
  { argv: (h, u) => ['-o', 'SetEnv=TETHER_SET=one', `${u}@${h}`, 'echo "[$TETHER_SET]"'], stdout: '[one]\n', code: 0 },
  // -l given first wins over user@ (OpenSSH keeps the first value): `nobody` is not allowed, so both fail
  { argv: (h, u) => ['-l', 'nobody', `${u}@${h}`, 'echo never'], stdout: '', code: 255 },
  { argv: (h, u) => ['-p', '2222', `${u}@${h}`, 'echo never'], stdout: '', code: 255 },
];

test('argv parity with OpenSSH against the real sshd', { timeout: 120_000 }, async (t) => {
  const lab = await startLab(t);
  if (!lab) return;
  const home = tempDir(t, 'argv');
  const dir = tempDir(t, 'argv-files');
  const cfg = labConfig(lab, dir);

  for (const row of ROWS) {
    const argv = ['-F', cfg, ...row.argv(lab.serverAddr, lab.user, dir)];
    await t.test(argv.slice(2).join(' '), async (st) => {
      const opts = { ...(row.input === undefined ? {} : { input: row.input }), ...(row.env ? { env: row.env } : {}) };
      const ssh = await sshInClientRaw(lab, home, argv, opts);
      const r = await tetherInClient(lab, home, argv, opts);
      report(st, 'parity', argv, r);
      st.diagnostic(`[foundation] parity: ssh -> exit ${ssh.code}; stdout ${JSON.stringify(ssh.stdout.toString())}; stderr ${JSON.stringify(ssh.stderr.split('\n')[0])}`);
      assert.equal(ssh.code, row.code, `the row is right about OpenSSH: ${ssh.stderr}`);
      assert.equal(ssh.stdout.toString(), row.stdout, 'the row is right about OpenSSH');
      assert.equal(r.code, ssh.code, `same exit status as ssh (tether stderr: ${r.stderr})`);
      assert.deepEqual(r.stdout, ssh.stdout, 'same stdout bytes as ssh');
      if (!argv.includes('-v')) {
        assert.equal(r.stderr, ssh.stderr, 'the same stderr bytes as ssh (its log lines end in CR LF)');
      }
    });
  }
});
