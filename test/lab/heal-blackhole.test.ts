// The real tether heals a path blackhole (everything dropped, ICMP too) while the user types; cause 'network'.
import { test } from 'node:test';
import { healNetworkFault } from '../helpers/tether-lab-case.js';

test('path blackhole: same shell after the path returns; held keys ran; cause network', { timeout: 120_000 }, async (t) => {
  await healNetworkFault(t, {
    name: 'path blackhole',
    apply: (lab) => lab.blackhole(),
    undo: (lab) => lab.restorePath(),
    cause: 'network',
    band: 'high',
  });
});
