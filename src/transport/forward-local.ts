// -L: a local listener whose every connection becomes a direct-tcpip (or streamlocal) channel on the current link.
import type { ForwardSpec } from '../config/types.js';
import type { LinkSource, ListenOptions, LocalListener } from './forward-listener.js';
import { bindHost, currentLink, dial, listenLocal, loopbackDefault, splice } from './forward-listener.js';

/** Starts a -L forward; undefined when the bind failed (warned) and ExitOnForwardFailure is off. */
export function startLocalForward(spec: ForwardSpec, source: LinkSource, opts: ListenOptions): Promise<LocalListener | undefined> {
  const target = spec.hostSocket !== undefined ? { path: spec.hostSocket } : { host: spec.hostAddress ?? 'localhost', port: spec.hostPort ?? 0 };
  const bind = spec.bindSocket !== undefined
    ? { host: '', path: spec.bindSocket }
    : {
        host: bindHost(spec.bindAddress, opts.gatewayPorts),
        port: spec.bindPort ?? 0,
        alsoIpv6Loopback: loopbackDefault(spec.bindAddress, opts.gatewayPorts),
      };
  return listenLocal(
    bind,
    (socket) => {
      socket.pause();
      void (async () => {
        const link = await currentLink(source, opts.waitMs ?? 30_000);
        const channel = link && !socket.destroyed ? await dial(link, target, socket, opts.prompter) : undefined;
        if (!channel) return void socket.destroy();
        splice(socket, channel);
      })();
    },
    opts,
  );
}
