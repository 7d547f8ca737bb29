// Inputs for transport tests: an EffectiveConfig as `ssh -G` would give it for a test server, and a scripted Prompter.
import type { EffectiveConfig } from '../../src/config/types.js';

/** An EffectiveConfig for a test server, as `ssh -G` would give it with no user config, plus overrides. */
export function testConfig(server: { port: number }, dir: string, overrides: Partial<EffectiveConfig> = {}): EffectiveConfig {
  return {
    host: 'testhost',
    hostname: '127.0.0.1',
    port: server.port,
    user: 'tester',
    addressFamily: 'any',
    connectionAttempts: 1,
    batchMode: false,
    identityFiles: [],
    identitiesOnly: false,
    pubkeyAuthentication: true,
    passwordAuthentication: true,
    kbdInteractiveAuthentication: true,
    preferredAuthentications: ['gssapi-with-mic', 'hostbased', 'publickey', 'keyboard-interactive', 'password'],
    numberOfPasswordPrompts: 3,
    strictHostKeyChecking: 'accept-new',
    userKnownHostsFiles: [`${dir}/known_hosts`],
    globalKnownHostsFiles: [`${dir}/global_known_hosts`],
    hashKnownHosts: false,
    checkHostIp: false,
    kexAlgorithms: [],
    hostKeyAlgorithms: [],
    ciphers: [],
    macs: [],
    compression: false,
    proxyJump: [],
    localForwards: [],
    remoteForwards: [],
    dynamicForwards: [],
    exitOnForwardFailure: false,
    gatewayPorts: false,
    forwardAgent: false,
    forwardX11: false,
    requestTTY: 'auto',
    sessionType: 'default',
    stdinNull: false,
    forkAfterAuthentication: false,
    serverAliveInterval: 0,
    serverAliveCountMax: 3,
    tcpKeepAlive: true,
    escapeChar: '~',
    logLevel: 'INFO',
    sendEnv: [],
    setEnv: {},
    controlMaster: 'no',
    gssapiAuthentication: false,
    certificateFiles: [],
    raw: {},
    ...overrides,
  };
}

/** A Prompter that answers from scripts and records every question and info line. */
export class ScriptedPrompter {
  readonly asked: string[] = [];
  readonly infos: string[] = [];
  constructor(
    private readonly secrets: (string | undefined)[] = [],
    private readonly confirms: (string | undefined)[] = [],
  ) {}
  secret(prompt: string): Promise<string | undefined> {
    this.asked.push(prompt);
    return Promise.resolve(this.secrets.shift());
  }
  confirm(question: string): Promise<string | undefined> {
    this.asked.push(question);
    return Promise.resolve(this.confirms.shift());
  }
  info(line: string): void {
    this.infos.push(line);
  }
}
