// The real tether heals when its sshd session process is killed (tmux survives): same shell, held keys, the outage's output.
import { test } from 'node:test';
import { healServerFault } from '../helpers/tether-lab-case.js';

test('session process killed: reattached to the same shell; cause session-killed', { timeout: 90_000 }, async (t) => {
  await healServerFault(t, {
    name: 'session killed',
    // slow logins: the reconnect takes seconds, so the held keys are typed during the outage
    apply: async (lab, loginDelay) => {
      loginDelay(4);
      await lab.killSession();
    },
    undo: (_lab, loginDelay) => Promise.resolve(loginDelay(0)),
    cause: 'session-killed',
    band: 'high',
  });
});
