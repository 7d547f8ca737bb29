// The two clocks of a session: monotonic ms for timers and the state machine, wall ms for records.
import { performance } from 'node:perf_hooks';

/** Monotonic now (ms) and its conversion to wall-clock epoch ms. */
export interface SessionClock {
  mono(): number;
  wall(): number;
  /** The epoch ms of a monotonic instant (using the current offset). */
  toWall(mono: number): number;
}

/** The real clocks. */
export const realClock: SessionClock = {
  mono: () => performance.now(),
  wall: () => Date.now(),
  toWall: (m) => Date.now() - (performance.now() - m),
};
