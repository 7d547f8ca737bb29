// The local facts config expansion needs (home, user, hostname, uid, env): read once, here, from the process.
import { hostname, userInfo } from 'node:os';
import type { LocalContext } from '../config/effective.js';

/** This process's LocalContext; HOME from the password database as OpenSSH does (pw_dir), env as given. */
export function localContext(env: NodeJS.ProcessEnv): LocalContext {
  let home = env.HOME ?? '/';
  let user = env.USER ?? 'unknown';
  let uid = -1;
  try {
    const info = userInfo();
    home = info.homedir || home;
    user = info.username || user;
    uid = info.uid;
  } catch {
    // no passwd entry (containers): keep the environment's view
  }
  return { home, localUser: user, localHostname: hostname(), uid, env };
}
