// The command line as ssh_config settings in argv order, for the resolver that runs without an ssh binary.
import type { CommandLineSetting } from '../config/fallback.js';
import type { ConnectArgs } from './argv-types.js';

/** Log levels in OpenSSH's order, by the names `ssh -G` prints. */
const LEVELS = ['SILENT', 'FATAL', 'ERROR', 'INFO', 'VERBOSE', 'DEBUG', 'DEBUG2', 'DEBUG3'];

/** `-e` in the vis(3) form `ssh -G` prints: `\^A` for a control character. */
function visEscape(v: string): string {
  if (v.length === 2 && v.startsWith('^')) return `\\^${v.charAt(1)}`;
  return v === '\\' ? '\\\\' : v;
}

/** -o "Key=value" / "Key value" → keyword and value. */
function splitOption(o: string): { key: string; value: string } {
  const m = /^\s*([^\s=]+)\s*=?\s*(.*)$/s.exec(o);
  return { key: (m?.[1] ?? o).toLowerCase(), value: m?.[2] ?? '' };
}

/** What ssh.c does for each letter, as settings (force = assigned outright, beating -o and the files). */
export function commandLineSettings(args: ConnectArgs): CommandLineSetting[] {
  const out: CommandLineSetting[] = [];
  const first = (key: string, value: string): void => void out.push({ key, value, force: false });
  const force = (key: string, value: string): void => void out.push({ key, value, force: true });
  let tty = 'auto';
  let level = -1;
  let debug = false;
  let master = 'no';
  for (const item of args.sequence) {
    if ('destination' in item) {
      if (args.target.user !== undefined) first('user', args.target.user);
      if (args.target.port !== undefined) first('port', String(args.target.port));
      continue;
    }
    const v = item.value ?? '';
    switch (item.letter) {
      case '4': force('addressfamily', 'inet'); break;
      case '6': force('addressfamily', 'inet6'); break;
      case 'A': force('forwardagent', 'yes'); break;
      case 'a': force('forwardagent', 'no'); break;
      case 'C': force('compression', 'yes'); break;
      case 'f': force('forkafterauthentication', 'yes'); force('stdinnull', 'yes'); break;
      case 'n': force('stdinnull', 'yes'); break;
      case 'g': force('gatewayports', 'yes'); break;
      case 'K': force('gssapiauthentication', 'yes'); force('gssapidelegatecredentials', 'yes'); break;
      case 'k': force('gssapidelegatecredentials', 'no'); break;
      case 'M': master = master === 'yes' ? 'ask' : 'yes'; force('controlmaster', master); break;
      case 'N': tty = 'false'; force('sessiontype', 'none'); force('requesttty', tty); break;
      case 's': force('sessiontype', 'subsystem'); break;
      case 'x': force('forwardx11', 'no'); break;
      case 'X': force('forwardx11', 'yes'); break;
      case 'Y': force('forwardx11', 'yes'); force('forwardx11trusted', 'yes'); break;
      case 't': tty = tty === 'true' ? 'force' : 'true'; force('requesttty', tty); break;
      case 'T': tty = 'false'; force('requesttty', tty); break;
      case 'q': level = 0; force('loglevel', 'SILENT'); break;
      case 'v':
        if (!debug) {
          debug = true;
          level = 5;
        } else if (level < 7) level++;
        force('loglevel', LEVELS[level] ?? 'DEBUG3');
        break;
      case 'e': force('escapechar', visEscape(v)); break;
      case 'c': force('ciphers', v); break;
      case 'm': force('macs', v); break;
      case 'b': force('bindaddress', v); break;
      case 'B': force('bindinterface', v); break;
      case 'S': force('controlpath', v); break;
      case 'I': force('pkcs11provider', v); break;
      case 'W': tty = 'false'; force('clearallforwardings', 'yes'); force('exitonforwardfailure', 'yes'); force('sessiontype', 'none'); force('requesttty', tty); break;
      case 'p': first('port', v); break;
      case 'l': first('user', v); break;
      case 'i': out.push({ key: 'identityfile', value: v, force: false, mustExist: true }); break;
      case 'L': first('localforward', v); break;
      case 'R': first('remoteforward', v); break;
      case 'D': first('dynamicforward', v); break;
      case 'J': first('proxyjump', v); break;
      case 'o': {
        const { key, value } = splitOption(v);
        first(key, value);
        break;
      }
      default: break;
    }
  }
  return out;
}
