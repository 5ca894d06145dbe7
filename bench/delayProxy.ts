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

/** Forwards chunks in order, each no sooner than its due time (one FIFO per direction, one timer at a time). */
function delayedPipe(to: Socket): (chunk: Buffer | null, dueAt: number) => void {
  const queue: { chunk: Buffer | null; dueAt: number }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const pump = (): void => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && (queue[0]?.dueAt ?? 0) <= now) {
      const { chunk } = queue.shift() as { chunk: Buffer | null };
      if (!to.writable) continue;
      if (chunk) to.write(chunk);
      else to.end();
    }
    const head = queue[0];
    if (head) timer = setTimeout(pump, Math.max(0, head.dueAt - now));
  };
  return (chunk, dueAt) => {
    queue.push({ chunk, dueAt });
    if (!timer) timer = setTimeout(pump, Math.max(0, dueAt - performance.now()));
  };
}

/**
 * Starts a TCP proxy on loopback in front of `targetPort` that simulates a network with a round trip
 * of `rttMs`: every chunk is held `rttMs / 2` in each direction, and nothing the client sends leaves
 * before its TCP handshake would have completed (one round trip after it connected). A cold call so
 * pays TCP, the TLS 1.3 handshake and the request, three round trips, as on a real network; a call on
 * a reused connection pays one. Why a proxy: the emulator's own latency delays answers only, not the
 * handshakes that make a cold call expensive.
 */
export async function startDelayProxy(targetPort: number, rttMs: number): Promise<DelayProxy> {
  const oneWay = rttMs / 2;
  let connections = 0;
  const open = new Set<Socket>();
  const server = createServer((client) => {
    connections++;
    // Loopback completed the TCP handshake at once; on the network the client's first data would
    // leave it one round trip after connect() (SYN out, SYN-ACK back).
    const established = performance.now() + rttMs;
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
    const toUpstream = delayedPipe(upstream);
    const toClient = delayedPipe(client);
    const up = (chunk: Buffer | null): void => toUpstream(chunk, Math.max(performance.now(), established) + oneWay);
    client.on('data', up);
    client.on('end', () => up(null));
    upstream.on('data', (chunk: Buffer) => toClient(chunk, performance.now() + oneWay));
    upstream.on('end', () => toClient(null, performance.now() + oneWay));
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
