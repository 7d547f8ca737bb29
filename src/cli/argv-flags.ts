// Each ssh option letter applied as ssh.c's getopt loop applies it (values validated with ssh's own messages).
import { TetherError } from '../common/errors.js';
import { parseDynamicForward, parseForward } from '../config/forwards.js';
import { parsePort } from './argv-destination.js';
import type { SshFlags } from './argv-types.js';
import { usageText } from './argv-usage.js';

/** Flags before any option was seen. */
export function emptyFlags(): SshFlags {
  return {
    tty: 0,
    noTty: false,
    noCommand: false,
    stdinNull: false,
    background: false,
    quiet: false,
    verbose: 0,
    compression: false,
    forwardX11Trusted: false,
    gatewayPorts: false,
    subsystem: false,
    configTest: false,
    master: 0,
    noGssapiDelegation: false,
    gssapi: false,
    syslog: false,
    identityFiles: [],
    options: [],
    localForwards: [],
    remoteForwards: [],
    dynamicForwards: [],
  };
}

/** ssh.c's check of -e: one character, `^X` (X in @..DEL), or `none`. */
function validEscape(v: string): boolean {
  if (v === 'none' || Buffer.byteLength(v) === 1) return true;
  const code = v.charCodeAt(1);
  return v.length === 2 && v.startsWith('^') && code >= 64 && code < 128;
}

/** ssh.c valid_hostname(): no leading '-', no shell metacharacters, whitespace or control characters. */
export function validHostname(h: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !h.startsWith('-') && !/['`"$\\;&<>|(){}\s\x00-\x1f\x7f]/.test(h);
}

/** Applies one ssh option letter; returns 'exit' for -V/-Q (ssh prints something and exits). */
export function apply(f: SshFlags, letter: string, value: string): 'exit' | undefined {
  switch (letter) {
    case '1': throw new TetherError('usage', 'SSH protocol v.1 is no longer supported');
    case '2': case 'P': break;
    case '4': f.addressFamily = 'inet'; break;
    case '6': f.addressFamily = 'inet6'; break;
    case 'A': f.forwardAgent = true; break;
    case 'a': f.forwardAgent = false; break;
    case 'C': f.compression = true; break;
    case 'f': f.background = true; f.stdinNull = true; break;
    case 'G': f.configTest = true; break;
    case 'g': f.gatewayPorts = true; break;
    case 'K': f.gssapi = true; break;
    case 'k': f.noGssapiDelegation = true; break;
    case 'M': f.master++; break;
    case 'N':
      if (f.subsystem) throw new TetherError('usage', 'Cannot specify -N with -s/SessionType');
      f.noCommand = true;
      break;
    case 's':
      if (f.noCommand) throw new TetherError('usage', 'Cannot specify -s with -N/SessionType');
      f.subsystem = true;
      break;
    case 'n': f.stdinNull = true; break;
    case 'q': f.quiet = true; break;
    case 'v': f.verbose++; f.quiet = false; break;
    case 'T': f.noTty = true; f.tty = 0; break;
    case 't': f.noTty = false; f.tty++; break;
    case 'V': case 'Q': return 'exit';
    case 'x': f.forwardX11 = false; break;
    case 'X': f.forwardX11 = true; break;
    case 'Y': f.forwardX11 = true; f.forwardX11Trusted = true; break;
    case 'y': f.syslog = true; break;
    case 'p':
      if (f.port === undefined) {
        const port = parsePort(value);
        if (port === undefined) throw new TetherError('usage', `Bad port '${value}'`);
        f.port = port;
      }
      break;
    case 'l': f.login ??= value; break;
    case 'F': f.configFile = value; break;
    case 'i': f.identityFiles.push(value); break;
    case 'o': f.options.push(value); break;
    case 'e':
      if (!validEscape(value)) throw new TetherError('usage', `Bad escape character '${value}'.`);
      f.escapeChar = value;
      break;
    case 'L':
      if (parseForward(value, 'local') === undefined) throw new TetherError('usage', `Bad local forwarding specification '${value}'`);
      f.localForwards.push(value);
      break;
    case 'R':
      if (parseForward(value, 'remote') === undefined) throw new TetherError('usage', `Bad remote forwarding specification '${value}'`);
      f.remoteForwards.push(value);
      break;
    case 'D':
      if (parseDynamicForward(value) === undefined) throw new TetherError('usage', `Bad dynamic forwarding specification '${value}'`);
      f.dynamicForwards.push(value);
      break;
    case 'W':
      if (f.stdioForward !== undefined) throw new TetherError('usage', 'stdio forward already specified');
      if (parseDynamicForward(value)?.bindAddress === undefined) throw new TetherError('usage', `Bad stdio forwarding specification '${value}'`);
      f.stdioForward = value;
      break;
    case 'J':
      if (f.jump !== undefined) {
        throw new TetherError('usage', 'Only a single -J option is permitted (use commas to separate multiple jump hops)');
      }
      f.jump = value;
      break;
    case 'w': f.tunnel = value; break;
    case 'S': f.controlPath = value; break;
    case 'O': f.controlCommand = value; break;
    case 'I': f.pkcs11 = value; break;
    case 'b': f.bindAddress = value; break;
    case 'B': f.bindInterface = value; break;
    case 'c': f.ciphers = value; break;
    case 'm': f.macs = value; break;
    case 'E': f.logFile = value; break;
    default: throw new TetherError('usage', usageText(`unknown option -- ${letter}`));
  }
  return undefined;
}

