// What the delivery loop needs from a sink: send one event, say when it is delivered, release its resources.
import type { ResetEvent } from './event.js';

/** The sinks tether knows, each with its own queue and status. */
export const SINK_NAMES = ['syslog', 'journald', 'otlp'] as const;
export type SinkName = (typeof SINK_NAMES)[number];

/** One configured sink. */
export interface SinkTransport {
  readonly name: SinkName;
  /** Where it sends, for `tether history --sinks` (`tcp://127.0.0.1:5514`). */
  readonly target: string;
  /** Resolves once the event is delivered as far as the protocol can tell; rejects with one line saying why not. */
  send(event: ResetEvent): Promise<void>;
  /** Closes sockets and child processes; later sends reconnect. */
  close(): void;
}
