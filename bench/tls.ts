import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer } from 'node:tls';

/** A self-signed certificate for 127.0.0.1, in PEM files (the client trusts `certPath` as a CA). */
export interface SelfSignedCert {
  readonly keyPath: string;
  readonly certPath: string;
  readonly key: string;
  readonly cert: string;
}

/**
 * Generates a fresh P-256 key and a self-signed certificate for `IP:127.0.0.1` with `openssl`, valid
 * one day, in `dir`. Made at every benchmark start so no key is ever committed; clients trust it by
 * `NODE_EXTRA_CA_CERTS`, never by turning verification off.
 */
export function generateSelfSignedCert(dir: string): SelfSignedCert {
  const keyPath = join(dir, 'bench-key.pem');
  const certPath = join(dir, 'bench-cert.pem');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1', '-addext', 'basicConstraints=critical,CA:TRUE'],
    ],
    { stdio: 'pipe' },
  );
  return { keyPath, certPath, key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
}

/** A TLS front for a plain-HTTP server, counting its handshakes. */
export interface TlsFront {
  readonly port: number;
  /** Completed TLS handshakes (`secureConnection` events) so far. */
  readonly handshakes: number;
  close(): Promise<void>;
}

/**
 * Serves the plain-HTTP server on `targetPort` over TLS: each TLS connection is decrypted here and
 * its bytes piped to one TCP connection to the target, so the target (the emulator) keeps its
 * keep-alive semantics and the client sees one TLS connection per TCP connection.
 */
export async function startTlsFront(targetPort: number, cert: SelfSignedCert): Promise<TlsFront> {
  let handshakes = 0;
  const open = new Set<Socket>();
  const server = createServer({ key: cert.key, cert: cert.cert }, (tlsSocket) => {
    handshakes++;
    const upstream = connect(targetPort, '127.0.0.1');
    upstream.setNoDelay(true);
    open.add(tlsSocket);
    open.add(upstream);
    tlsSocket.on('close', () => open.delete(tlsSocket));
    upstream.on('close', () => open.delete(upstream));
    tlsSocket.on('error', () => upstream.destroy());
    upstream.on('error', () => tlsSocket.destroy());
    tlsSocket.pipe(upstream).pipe(tlsSocket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get handshakes() {
      return handshakes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
