/**
 * A Postgres that demands TLS, for tests: a proxy on loopback that answers the client's
 * SSLRequest, terminates TLS with the test's certificate and passes the session on to the
 * local (plaintext) server. A client that does not ask for TLS is turned away, as a
 * `hostssl`-only server would.
 */
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';

const SSL_REQUEST_CODE = 80877103;

export interface PostgresTlsProxy {
  port: number;
  close(): Promise<void>;
}

export async function startPostgresTlsProxy(options: { upstreamPort: number; key: Buffer; cert: Buffer }): Promise<PostgresTlsProxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    client.once('data', (first: Buffer) => {
      if (first.length < 8 || first.readInt32BE(4) !== SSL_REQUEST_CODE) {
        client.destroy(); // no TLS asked for: refused
        return;
      }
      client.write('S');
      const secure = new TLSSocket(client, { isServer: true, key: options.key, cert: options.cert });
      secure.on('error', () => client.destroy());
      const upstream = connect(options.upstreamPort, '127.0.0.1');
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      upstream.on('error', () => secure.destroy());
      secure.pipe(upstream).pipe(secure);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
