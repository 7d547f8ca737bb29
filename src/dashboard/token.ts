// The page's token: random, kept 0600 in the private live directory so a dashboard restarted on the same port keeps its open pages.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File of the token in the live directory. */
export const TOKEN_FILE = 'dashboard.token';

const TOKEN = /^[0-9a-f]{32}$/;

/** The token kept in `dir`, or a new one written there (exclusively, 0600); a bad file is replaced. */
export async function dashboardToken(dir: string): Promise<string> {
  const file = join(dir, TOKEN_FILE);
  const kept = (await readFile(file, 'utf8').catch(() => '')).trim();
  if (TOKEN.test(kept)) return kept;
  const token = randomBytes(16).toString('hex');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}
