// Which `tether history` invocations are about the log sinks (kept apart so the check loads nothing of them).

/** Whether these history arguments are `--sinks` or `--export`. */
export function isSinksHistory(args: readonly string[]): boolean {
  return args.includes('--sinks') || args.includes('--export');
}
