// The real tether heals the local link going down and up (ENETUNREACH, interface events); cause 'network'.
import { test } from 'node:test';
import { healNetworkFault } from '../helpers/tether-lab-case.js';

test('local link down: same shell after the link is up; held keys ran; cause network', { timeout: 120_000 }, async (t) => {
  await healNetworkFault(t, {
    name: 'local link down',
    apply: (lab) => lab.linkDown(),
    undo: (lab) => lab.linkUp(),
    cause: 'network',
    band: 'high',
  });
});
