// -L/-D listeners that outlive reconnects, and -R forwards re-requested on every new link.
import type { Disposable } from '../common/disposable.js';
import { DisposableStore } from '../common/disposable.js';
import type { EffectiveConfig } from '../config/types.js';
import type { Link } from '../transport/link.js';
import type { Prompter } from '../transport/prompter.js';
import type { LinkSource } from '../transport/forward-listener.js';
import { startLocalForward } from '../transport/forward-local.js';
import { startDynamicForward } from '../transport/forward-dynamic.js';
import { startRemoteForward } from '../transport/forward-remote.js';

/** Starts every -L and -D listener of the config on whatever link `source` gives. */
export async function startLocalListeners(config: EffectiveConfig, source: LinkSource, prompter: Prompter): Promise<Disposable> {
  const store = new DisposableStore();
  const opts = { prompter, exitOnForwardFailure: config.exitOnForwardFailure, gatewayPorts: config.gatewayPorts };
  try {
    for (const spec of config.localForwards) {
      const l = await startLocalForward(spec, source, opts);
      if (l) store.add(l);
    }
    for (const spec of config.dynamicForwards) {
      const l = await startDynamicForward(spec, source, opts);
      if (l) store.add(l);
    }
  } catch (err) {
    store.dispose();
    throw err;
  }
  return store;
}

/** Requests every -R forward on this link (again after each reconnect); disposed with the link. */
export async function startRemoteForwards(config: EffectiveConfig, link: Link, prompter: Prompter): Promise<Disposable> {
  const store = new DisposableStore();
  if (link.unsafe) return store;
  const opts = { prompter, exitOnForwardFailure: config.exitOnForwardFailure };
  try {
    for (const spec of config.remoteForwards) {
      const f = await startRemoteForward(link, spec, opts);
      if (f) store.add(f);
    }
  } catch (err) {
    store.dispose();
    throw err;
  }
  return store;
}
