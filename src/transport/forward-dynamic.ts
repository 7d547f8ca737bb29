// -D: a local SOCKS4/4a/5 server (CONNECT only, no authentication) whose connections become channels on the current link.
import type { DynamicForwardSpec } from '../config/types.js';
import type { LinkSource, ListenOptions, LocalListener } from './forward-listener.js';
import { bindHost, currentLink, dial, listenLocal, loopbackDefault, splice } from './forward-listener.js';
import { readSocksRequest, socks4Reply, socks5Reply } from './socks.js';

/** Starts a -D forward; undefined when the bind failed (warned) and ExitOnForwardFailure is off. */
export function startDynamicForward(spec: DynamicForwardSpec, source: LinkSource, opts: ListenOptions): Promise<LocalListener | undefined> {
  return listenLocal(
    {
      host: bindHost(spec.bindAddress, opts.gatewayPorts),
      port: spec.bindPort,
      alsoIpv6Loopback: loopbackDefault(spec.bindAddress, opts.gatewayPorts),
    },
    (socket) => {
      socket.pause();
      void (async () => {
        const req = await readSocksRequest(socket);
        if (!req) return void socket.end();
        const reply = (ok: boolean) => (req.version === 4 ? socks4Reply(ok) : socks5Reply(ok ? 0 : 5));
        const link = await currentLink(source, opts.waitMs ?? 30_000);
        const channel = link && !socket.destroyed ? await dial(link, { host: req.host, port: req.port }, socket, opts.prompter) : undefined;
        if (!channel) {
          if (!socket.destroyed) socket.end(reply(false));
          return;
        }
        socket.write(reply(true));
        splice(socket, channel);
      })();
    },
    opts,
  );
}
