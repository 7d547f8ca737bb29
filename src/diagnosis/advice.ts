// The seed checklist's fixes, made concrete for one host: what to run, what to add, where.
import type { Cause } from './cause.js';
import type { AlgorithmMismatch } from './evidence.js';

/** What advice needs to name the host and the numbers. */
export interface AdviceContext {
  /** The alias as typed (for `Host x` in ~/.ssh/config). */
  host: string;
  hostname: string;
  port: number;
  /** The keep-alive interval tether uses on this host from now on. */
  keepaliveMs?: number;
  /** The idle limit the path showed (the silence that killed the link). */
  idleLimitMs?: number;
  algorithmMismatch?: AlgorithmMismatch;
}

/** ssh_config keyword per negotiation kind. */
const ALGORITHM_KEYWORD: Record<AlgorithmMismatch['kind'], string> = {
  kex: 'KexAlgorithms',
  hostKey: 'HostKeyAlgorithms',
  cipher: 'Ciphers',
  mac: 'MACs',
  compression: 'Compression',
};

const SSHD_RESTART = '`sudo systemctl restart ssh` (`sshd` on RHEL/Fedora)';

/** The ServerAliveInterval to suggest: the seed's 60 s, or half the idle limit when that is shorter. */
export function suggestedServerAliveSec(idleLimitMs?: number): number {
  if (idleLimitMs === undefined) return 60;
  return Math.max(5, Math.min(60, Math.floor(idleLimitMs / 2000)));
}

function idleAdvice(x: AdviceContext): string[] {
  const pingSec = Math.floor((x.keepaliveMs ?? 25_000) / 1000);
  const lines = [
    `tether now pings every ${pingSec} s on this host; for plain ssh add \`ServerAliveInterval ${suggestedServerAliveSec(x.idleLimitMs)}\` under \`Host ${x.host}\` in ~/.ssh/config`,
    `on the server (if you control it): add \`ClientAliveInterval ${suggestedServerAliveSec(x.idleLimitMs)}\` and \`ClientAliveCountMax 3\` to /etc/ssh/sshd_config, then ${SSHD_RESTART}`,
  ];
  const limit = x.idleLimitMs === undefined ? '' : ` after about ${Math.round(x.idleLimitMs / 1000)} s`;
  lines.push(
    `something between you and ${x.hostname} drops idle connections${limit}: check firewall, NAT and load balancer idle timeouts (often 300 s; AWS NLB 350 s, Azure LB 4 min); \`mtr --report ${x.hostname}\` shows the path`,
  );
  return lines;
}

function firewallAdvice(x: AdviceContext): string[] {
  return [
    `on ${x.hostname}: \`sudo iptables -L -n -v\` and look for rules that DROP or REJECT port ${x.port} (also \`sudo nft list ruleset\`)`,
    `check /etc/hosts.allow and /etc/hosts.deny on ${x.hostname} (\`sshd: ALL\` or your address in hosts.allow), and any cloud security group or corporate firewall between you and ${x.hostname}`,
    `to allow SSH: \`sudo iptables -A INPUT -p tcp --dport ${x.port} -j ACCEPT\`; to keep established connections: \`sudo iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT\` (be careful not to lock yourself out)`,
  ];
}

function protocolAdvice(x: AdviceContext): string[] {
  const mm = x.algorithmMismatch;
  const lines: string[] = [];
  if (mm !== undefined && mm.kind !== 'compression') {
    const kw = ALGORITHM_KEYWORD[mm.kind];
    const theirs = mm.server[0];
    if (theirs !== undefined) {
      lines.push(
        `no common ${mm.kind} algorithm with ${x.hostname}: if you trust ${theirs}, add \`${kw} +${theirs}\` under \`Host ${x.host}\` in ~/.ssh/config`,
      );
    }
    lines.push(
      `better: enable one of ${mm.client.slice(0, 4).join(', ') || '(none)'} on the server with \`${kw}\` in /etc/ssh/sshd_config, then ${SSHD_RESTART}`,
    );
  } else if (mm !== undefined) {
    lines.push(`compression could not be agreed: add \`Compression no\` under \`Host ${x.host}\` in ~/.ssh/config`);
  }
  lines.push(
    `on ${x.hostname}: \`sudo journalctl -u ssh | grep -i "protocol\\|packet"\` for the server's view`,
    'keep client and server OpenSSH recent; avoid obscure or deprecated Ciphers/MACs/KexAlgorithms in ~/.ssh/config and sshd_config',
  );
  return lines;
}

/** The advice lines for a cause on one host (the seed's fixes, with the host's names and numbers). */
export function adviceFor(cause: Cause, x: AdviceContext): string[] {
  const h = x.hostname;
  switch (cause) {
    case 'idle-timeout':
      return idleAdvice(x);
    case 'firewall':
      return firewallAdvice(x);
    case 'network':
      return [
        `\`mtr --report ${h}\` from this machine: look for loss or latency rising as the path nears the server`,
        'check this machine\'s link: Wi-Fi signal, VPN reconnects, a changed address; tether keeps retrying and reconnects as soon as the path is back',
      ];
    case 'server-restart':
      return [
        `on ${h}: \`sudo systemctl status ssh\` (\`sshd\` on RHEL/Fedora) to see whether sshd crashed or was restarted`,
        `\`sudo journalctl -u ssh --since "15 minutes ago"\` for the reason; \`sudo sshd -t\` checks /etc/ssh/sshd_config for errors`,
        'if sshd keeps crashing, update OpenSSH to a recent stable release',
      ];
    case 'reboot':
      return [
        `on ${h}: \`journalctl -b -1 -e\` shows how the previous boot ended (shutdown, kernel panic); \`last -x reboot shutdown\` lists reboots`,
        'check /var/log/syslog and scheduled updates (unattended-upgrades, cron) that may reboot the server',
      ];
    case 'session-killed':
      return [
        `on ${h}: \`dmesg -T | grep -i oom\` (or \`journalctl -k | grep -i oom\`) for the OOM killer; \`top\` or \`htop\` for memory and CPU use`,
        `\`sudo journalctl -u ssh --since "15 minutes ago"\` for sshd's side`,
        `limit sessions in /etc/ssh/sshd_config: \`MaxSessions 10\` and \`MaxStartups 10:30:100\`, then ${SSHD_RESTART}; add memory or stop the process that exhausts it`,
      ];
    case 'refused-before-banner':
      return [
        `sshd closed the connection before its banner: if many connections start at once, set \`MaxStartups 10:30:100\` in /etc/ssh/sshd_config on ${h}, then ${SSHD_RESTART}`,
        `check fail2ban on ${h}: \`sudo fail2ban-client status sshd\`; unban with \`sudo fail2ban-client set sshd unbanip <your address>\``,
        `check TCP wrappers on ${h}: /etc/hosts.deny and /etc/hosts.allow (\`sshd: ALL\` or your address in hosts.allow)`,
      ];
    case 'protocol':
      return protocolAdvice(x);
    case 'auth':
      return [
        `authentication failed on reconnect: check that your key is still in ~/.ssh/authorized_keys on ${h} and loaded (\`ssh-add -l\`), or whether the password changed`,
        `on ${h}: \`sudo journalctl -u ssh | grep -i "authentication\\|invalid user"\` for the server's reason`,
      ];
    case 'host-key-changed': {
      const known = x.port === 22 ? h : `"[${h}]:${x.port}"`;
      return [
        `the host key of ${h} changed: verify the new fingerprint with its administrator (\`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub\` on the server) before trusting it`,
        `if the change is expected (reinstall), remove the old key with \`ssh-keygen -R ${known}\` and connect again`,
      ];
    }
    case 'client-suspend':
      return [
        `this machine slept or tether was frozen; nothing is wrong with ${h} or the path`,
        'tether reattaches tmux on wake; to keep the server from dropping you while asleep, raise `ClientAliveCountMax` (time kept = ClientAliveInterval × ClientAliveCountMax) in /etc/ssh/sshd_config',
      ];
    case 'unknown':
      return [
        `run \`tether doctor ${x.host}\` to check the path and the server step by step`,
        `\`mtr --report ${h}\` from here; on the server \`sudo journalctl -u ssh --since "15 minutes ago"\``,
      ];
  }
}
