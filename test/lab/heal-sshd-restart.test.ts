// The real tether heals an sshd crash (master and sessions killed, tmux survives) and restart; cause 'server-restart'.
import { test } from 'node:test';
import { healServerFault } from '../helpers/tether-lab-case.js';

test('sshd crash and restart: same shell after sshd is back; held keys ran; cause server-restart', { timeout: 90_000 }, async (t) => {
  await healServerFault(t, {
    name: 'sshd crash+restart',
    apply: (lab) => lab.killSshdAll(),
    undo: async (lab) => {
      await lab.startSshd();
    },
    cause: 'server-restart',
    band: 'high',
  });
});
