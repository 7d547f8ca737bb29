// The fault lab's public API: import from 'test/lab/index.js'.
export { Lab, createLab } from './lab.js';
export type { LabOptions } from './lab.js';
export { labAvailable, requireLab, startLab } from './available.js';
export type { LabAvailability } from './available.js';
export { sshArgv, sshInClient, spawnSshInClient } from './ssh-client.js';
export type { SshOptions } from './ssh-client.js';
export type { FaultMode } from './firewall.js';
export type { ClientKey } from './user.js';
export type { RunResult, RunOptions } from './run.js';
export { LAB_ADDR } from './topology.js';
export { reapStaleLabs } from './registry.js';
export { collect, sleep, waitForExit, waitForOutput, waitUntil } from './wait.js';
export { REPO_ROOT, jsonLines, spawnNodeInClient } from './client-node.js';
