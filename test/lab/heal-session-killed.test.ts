// The real tether heals when its sshd session process is killed (tmux survives): same shell, held keys, the outage's output.
import { test } from 'node:test';
import { healServerFault, pauseSshdMaster, resumeSshdMaster } from '../helpers/tether-lab-case.js';

test('session process killed: reattached to the same shell; cause session-killed', { timeout: 90_000 }, async (t) => {
  let master = 0;
  await healServerFault(t, {
    name: 'session killed',
    // the master paused: the reconnect waits in its backlog, so the outage lasts until it resumes
    apply: async (lab) => {
      master = pauseSshdMaster(lab);
      await lab.killSession();
    },
    undo: () => Promise.resolve(resumeSshdMaster(master)),
    cause: 'session-killed',
  });
});
