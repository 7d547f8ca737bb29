// The real tether heals a firewall that blocks port 22 (DROP and RST) while the user types; cause 'firewall'.
import { test } from 'node:test';
import { healNetworkFault } from '../helpers/tether-lab-case.js';

for (const mode of ['drop', 'rst'] as const) {
  test(`firewall block (${mode.toUpperCase()}): same shell after unblock; held keys ran; cause firewall`, { timeout: 120_000 }, async (t) => {
    await healNetworkFault(t, {
      name: `firewall ${mode.toUpperCase()}`,
      apply: (lab) => lab.blockPort(mode),
      undo: (lab) => lab.unblockPort(),
      cause: 'firewall',
      band: 'high',
    });
  });
}
