// `tether config get|set|path`: read and change tether's own settings.
import { TetherError } from '../common/errors.js';
import { isSettingName, openSettings, parseSettingValue, DEFAULT_SETTINGS } from '../config/settings.js';
import type { SettingName } from '../config/settings.js';

/** `tether config --help`. */
export const CONFIG_USAGE = 'usage: tether config get [name] | set name value | path';
const USAGE = CONFIG_USAGE;

/** Runs the subcommand; resolves to the exit status. */
export async function runConfigCommand(
  args: readonly string[],
  io: { configDir: string; stdout: NodeJS.WritableStream },
): Promise<number> {
  const [verb, name, value, ...rest] = args;
  const settingName = (n: string | undefined): SettingName => {
    if (n === undefined) throw new TetherError('usage', USAGE);
    if (!isSettingName(n)) {
      throw new TetherError('usage', `tether config: unknown setting '${n}' (known: ${Object.keys(DEFAULT_SETTINGS).join(', ')})`);
    }
    return n;
  };
  if (verb === 'path' && name === undefined) {
    io.stdout.write(`${(await openSettings(io.configDir)).path}\n`);
    return 0;
  }
  if (verb === 'get' && value === undefined) {
    const store = await openSettings(io.configDir);
    if (name === undefined) {
      // an empty string setting is off (or the default CA store): say so rather than print nothing
      for (const [k, v] of Object.entries(store.all())) io.stdout.write(`${k} ${v === '' ? '(none)' : String(v)}\n`);
    } else io.stdout.write(`${String(store.get(settingName(name)))}\n`);
    return 0;
  }
  if (verb === 'set' && value !== undefined && rest.length === 0) {
    const key = settingName(name);
    const parsed = parseSettingValue(key, value);
    const store = await openSettings(io.configDir);
    store.set(key, parsed);
    return 0;
  }
  throw new TetherError('usage', USAGE);
}
