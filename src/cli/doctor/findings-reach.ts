// Findings about reaching the port (pure): refused vs silently dropped vs nothing answering, and closed before banner.
import { adviceFor } from '../../diagnosis/advice.js';
import type { AdviceContext } from '../../diagnosis/advice.js';
import { connected } from './reach.js';
import type { DoctorReport, Finding } from './types.js';

/** The ICMP fact as an evidence line. */
export function icmpEvidence(r: DoctorReport): string {
  const i = r.icmp;
  if (i.status === 'not-checked') return `ICMP not checked (${i.why ?? 'no ping'})`;
  return `ping ${r.target.hostname}: ${String(i.received ?? 0)}/${String(i.sent ?? 0)} replies`;
}

function tcpEvidence(r: DoctorReport): string {
  const t = r.tcp;
  const first = t.outcomes.find((o) => o !== 'open') ?? 'open';
  return `TCP ${r.target.hostname}:${String(r.target.port)}: ${first}${t.errno ? ` (${t.errno})` : ''} on ${String(t.outcomes.filter((o) => o === first).length)} of ${String(t.outcomes.length)} tries`;
}

function sshdListening(x: AdviceContext): string {
  return `on ${x.hostname}: \`sudo systemctl status ssh\` (\`sshd\` on RHEL/Fedora) and \`sudo ss -tlnp | grep ':${String(x.port)} '\` show whether sshd runs and listens on port ${String(x.port)}`;
}

function firewallLines(x: AdviceContext): Finding['config'] {
  return [{ file: `firewall on ${x.hostname} (iptables)`, lines: [`sudo iptables -I INPUT -p tcp --dport ${String(x.port)} -j ACCEPT`] }];
}

/** Whether a host name or address is this machine's loopback (no path, no firewall in between as a rule). */
export function isLoopback(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === 'localhost.localdomain' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

/** The port of this machine could not be connected to: nothing listens, or something local refuses or drops it. */
function loopbackFinding(r: DoctorReport, outcome: string, evidence: string[]): Finding | undefined {
  const { hostname: h, port } = r.target;
  const p = String(port);
  const look = `on this machine: \`sudo ss -tlnp | grep ':${p} '\` shows what listens on port ${p}; start sshd (\`sudo systemctl start ssh\`) or connect to the port it listens on`;
  if (outcome === 'refused') {
    return { id: 'port-closed', severity: 'error', title: `nothing listens on port ${p} of ${h} (this machine): the connection is refused`, evidence, advice: [look] };
  }
  if (outcome === 'reset') {
    return { id: 'port-reset', severity: 'error', title: `a program on port ${p} of ${h} (this machine) accepts connections and resets them: it is not an SSH server, or it refuses this client`, evidence, advice: [look] };
  }
  if (outcome === 'timeout') {
    return {
      id: 'port-filtered',
      severity: 'error',
      title: `port ${p} of ${h} (this machine) drops connections silently: only a local firewall rule does that on the loopback interface`,
      evidence,
      advice: ['`sudo iptables -S` and `sudo nft list ruleset` show the local rules that drop it', look],
    };
  }
  return undefined;
}

/** The port could not be connected to at all: classify by what the failure was and whether ICMP answered. */
function unreachableFinding(r: DoctorReport, x: AdviceContext): Finding {
  const { hostname: h, port } = r.target;
  const p = String(port);
  const pingOk = r.icmp.status === 'answered';
  const evidence = [icmpEvidence(r), tcpEvidence(r)];
  const outcome = r.tcp.outcomes.find((o) => o !== 'open') ?? 'error';
  const local = isLoopback(h) ? loopbackFinding(r, outcome, evidence) : undefined;
  if (local !== undefined) return local;
  if (outcome === 'refused' || outcome === 'reset') {
    const how = outcome === 'refused' ? 'refuses connections (TCP RST)' : 'resets connections';
    return {
      id: 'port-refused',
      severity: 'error',
      title: `nothing listens on port ${p} of ${h}, or a firewall rejects it: the port ${how}${pingOk ? ' while the host answers ping' : ''}; something on ${h}'s side answered, so the host is up`,
      evidence,
      advice: [sshdListening(x), ...adviceFor('firewall', x)],
      config: firewallLines(x),
    };
  }
  if (outcome === 'timeout' && pingOk) {
    return {
      id: 'port-filtered',
      severity: 'error',
      title: `firewall: port ${p} on ${h} is silently dropped (no answer at all) while the host answers ping`,
      evidence,
      advice: [...adviceFor('firewall', x), sshdListening(x)],
      config: firewallLines(x),
    };
  }
  if (outcome === 'timeout' && r.icmp.status === 'not-checked') {
    return {
      id: 'port-no-answer',
      severity: 'error',
      title: `no answer on port ${p} of ${h} (ICMP not checked): a firewall dropping the port, or the host is down or unreachable`,
      evidence,
      advice: [...adviceFor('firewall', x), ...adviceFor('network', x)],
    };
  }
  if (outcome === 'timeout' || outcome === 'unreachable') {
    const why = outcome === 'unreachable' ? 'no route to it from here' : 'neither ping nor port ' + p + ' answers';
    return {
      id: 'host-unreachable',
      severity: 'error',
      title: `${h} cannot be reached: ${why}; the host is down, or the network path (or a firewall dropping everything) is broken`,
      evidence,
      advice: adviceFor('network', x),
    };
  }
  const resolve = r.tcp.errno === 'ENOTFOUND' || r.tcp.errno === 'EAI_AGAIN';
  return {
    id: resolve ? 'name-not-found' : 'tcp-error',
    severity: 'error',
    title: resolve ? `the name ${h} does not resolve (${r.tcp.errno ?? ''}): check the spelling and HostName in ~/.ssh/config` : `TCP connect to ${h}:${p} failed (${r.tcp.errno ?? outcome})`,
    evidence,
    advice: resolve ? [] : adviceFor('unknown', x),
  };
}

/** Findings of steps 1 and 2. */
export function reachFindings(r: DoctorReport, x: AdviceContext): Finding[] {
  const t = r.tcp;
  if (t.outcomes.length === 0) return []; // not probed (ProxyJump): the login step speaks for the path
  const made = t.outcomes.filter(connected).length;
  if (made === 0) return [unreachableFinding(r, x)];
  const out: Finding[] = [];
  if (t.banner === undefined && t.outcomes.includes('closed-before-banner')) {
    out.push({
      id: 'closed-before-banner',
      severity: 'error',
      title: `port ${String(r.target.port)} accepts TCP but the connection is closed before the SSH banner: sshd's MaxStartups, fail2ban, or TCP wrappers (hosts.deny)`,
      evidence: [icmpEvidence(r), tcpEvidence(r)],
      advice: adviceFor('refused-before-banner', x),
      config: [{ file: '/etc/ssh/sshd_config', lines: ['MaxStartups 10:30:100'] }],
    });
  } else if (t.banner !== undefined && !/^SSH-(2\.0|1\.99)-/.test(t.banner)) {
    out.push({ id: 'odd-banner', severity: 'warn', title: `the server speaks an unexpected protocol: ${t.banner}`, evidence: [tcpEvidence(r)], advice: [] });
  }
  if (made < t.outcomes.length) {
    out.push({
      id: 'tcp-loss',
      severity: 'warn',
      title: `${String(t.outcomes.length - made)} of ${String(t.outcomes.length)} TCP connects to port ${String(r.target.port)} failed: loss on the path or a rate limit`,
      evidence: [tcpEvidence(r), icmpEvidence(r)],
      advice: adviceFor('network', x),
    });
  }
  return out;
}
