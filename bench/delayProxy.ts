import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A loopback TCP proxy that adds a round trip, and counts the connections made through it. */
export interface DelayProxy {
  /** Port on 127.0.0.1. */
  readonly port: number;
  /** TCP connections accepted so far (each TLS handshake needs one). */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * Starts a TCP proxy on loopback in front of `targetPort` that holds every chunk for `rttMs / 2` in
 * each direction, so a request and its answer take one simulated round trip, and a TCP + TLS 1.3
 * connection the round trips it takes on a real network. Chunks keep their order (timers of one
 * delay fire in the order they were set). Why a proxy: the emulator's own latency delays answers
 * only, not the handshakes that make a cold call expensive.
 */
export async function startDelayProxy(targetPort: number, rttMs: number): Promise<DelayProxy> {
  const oneWay = rttMs / 2;
  let connections = 0;
  const open = new Set<Socket>();
  const pipeDelayed = (from: Socket, to: Socket): void => {
    from.on('data', (chunk) => {
      if (oneWay <= 0) to.write(chunk);
      else setTimeout(() => to.writable && to.write(chunk), oneWay);
    });
    from.on('end', () => {
      if (oneWay <= 0) to.end();
      else setTimeout(() => to.end(), oneWay);
    });
  };
  const server = createServer((client) => {
    connections++;
    const upstream = connect(targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      s.setNoDelay(true);
      open.add(s);
      s.on('close', () => open.delete(s));
    }
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => setTimeout(() => upstream.destroy(), oneWay));
    upstream.on('close', () => setTimeout(() => client.destroy(), oneWay));
    pipeDelayed(client, upstream);
    pipeDelayed(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
