// The facts gathered about one broken link, as plain data: the classifier reads only these.
// All instants are epoch milliseconds (wall clock); all durations are milliseconds.
// An optional field that is absent means "not known" (not measured, not readable), never "false".

/** What one reconnect attempt met, in the order of the connection steps. */
export type AttemptResult =
  | 'refused' // TCP RST on connect: the port is closed (or a firewall REJECTs)
  | 'timeout' // no answer to the SYN, or no banner before the connect timeout
  | 'reset' // the connection was reset after TCP accepted it
  | 'unreachable' // ENETUNREACH / EHOSTUNREACH: no route to the host
  | 'closed-before-banner' // TCP accepted, closed before the SSH identification line
  | 'protocol' // handshake failed: no common algorithm, bad packet
  | 'auth' // every authentication method failed
  | 'host-key-changed' // the server's host key differs from the pinned one
  | 'ok'; // the connection was made and authenticated

/** One reconnect attempt and how long it took. */
export interface AttemptEvidence {
  result: AttemptResult;
  /** When the attempt started. */
  startedAt: number;
  /** How long it took until it failed or succeeded. */
  durationMs: number;
  /** The raw errno / ssh2 code, if any (`ECONNREFUSED`, `ETIMEDOUT`, ...). */
  code?: string;
}

/** An algorithm negotiation that found nothing in common (both sides' lists, as offered). */
export interface AlgorithmMismatch {
  kind: 'kex' | 'hostKey' | 'cipher' | 'mac' | 'compression';
  client: string[];
  server: string[];
}

/** A change of a local interface or route seen during the outage. */
export interface InterfaceChange {
  at: number;
  kind: 'down' | 'up' | 'address-changed' | 'route-changed';
  /** Interface name (`wlan0`) where known. */
  iface?: string;
}

/** Signs that this machine slept or the process was frozen. */
export interface DriftEvidence {
  /** How much later than asked a timer fired (the largest seen during the outage window). */
  timerLateMs: number;
  /** How much more the wall clock moved than the monotonic clock (a real suspend). */
  wallAheadOfMonotonicMs: number;
  /** When the drift was noticed. */
  detectedAt: number;
}

/** What first showed the link was broken. */
export interface TriggerEvidence {
  /** Raw code: `ECONNRESET`, `ETIMEDOUT`, `EPIPE`, `ENETUNREACH`, `EOF`, `ping-timeout`, ... */
  code: string;
}

/** Facts seen from this machine. */
export interface ClientEvidence {
  trigger: TriggerEvidence;
  /** How long nothing had been received from the server when the failure was seen. */
  silenceMs?: number;
  /** RTT of the last answered keep-alive ping. */
  lastPingRttMs?: number;
  /** The keep-alive interval in force when the link failed. */
  keepaliveMs?: number;
  /** The idle limit learned earlier for this host, if any. */
  learnedIdleLimitMs?: number;
  /** Every reconnect attempt, in order. */
  attempts: AttemptEvidence[];
  /** Whether the host answered ICMP echo during the outage (absent: not probed / no ping tool). */
  icmpReachable?: boolean;
  /** Local interface and route changes during the outage. */
  interfaceChanges: InterfaceChange[];
  /** Timer drift / suspend, when detected. */
  drift?: DriftEvidence;
  /** The negotiation failure of a reconnect, when the handshake failed on algorithms. */
  algorithmMismatch?: AlgorithmMismatch;
}

/** Facts read on the server over the new connection (absent when no connection was made). */
export interface ServerEvidence {
  /** When these facts were read (for comparing uptime with the outage). */
  readAt: number;
  /** `/proc/sys/kernel/random/boot_id` read at the previous connection. */
  bootIdBefore?: string;
  /** The same, read now. */
  bootIdAfter?: string;
  /** `/proc/uptime`, seconds. */
  uptimeSec?: number;
  /** Start time of the sshd master (listener) process. */
  sshdMasterStartedAt?: number;
  /** The listening sshd is a different process than at connect (pid changed); used when the start time is unknown. */
  sshdMasterReplaced?: boolean;
  /**
   * The previous session's work survived: with tmux, its tmux session (server and panes); without
   * tmux, the login shell. A tmux *client* or an sshd session process dying is expected after any
   * reset and is not this.
   */
  previousSessionAlive?: boolean;
  /** The previous connection's own sshd process still exists: the server never closed it. */
  sshdSessionAlive?: boolean;
  /** The previous tmux session is still there (absent when tmux is not used). */
  tmuxSessionAlive?: boolean;
  /** Kernel OOM killer lines since the outage began, where readable. */
  oomLines: string[];
  /** `journalctl -u ssh` lines since the outage began, where readable. */
  sshdJournalLines: string[];
}

/** When the outage happened. */
export interface OutageTiming {
  /** Last time anything was received from the server before the failure. */
  lastHeardAt: number;
  /** When tether decided the link was broken. */
  detectedAt: number;
  /** When the session was back (absent: not restored). */
  restoredAt?: number;
}

/** Which destination this is about (for host-specific advice). */
export interface TargetEvidence {
  /** The alias as typed (`Host` pattern match). */
  host: string;
  hostname: string;
  port: number;
}

/** Everything the classifier reads. */
export interface Evidence {
  target: TargetEvidence;
  timing: OutageTiming;
  client: ClientEvidence;
  server?: ServerEvidence;
}
