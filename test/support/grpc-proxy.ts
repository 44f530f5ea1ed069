/**
 * A gRPC (HTTP/2) proxy on loopback in front of a Temporal frontend, standing in for what
 * sits before a CPO's real cluster: TLS that demands a client certificate (mTLS), or an
 * authorizer that refuses some calls (as Temporal Cloud refuses operator calls to an API
 * key). Requests pass through unchanged; a refused one gets PERMISSION_DENIED.
 */
import http2, { type ClientHttp2Session, type IncomingHttpHeaders, type OutgoingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';

export interface GrpcProxyOptions {
  /** host:port of the plaintext Temporal frontend. */
  upstream: string;
  /** Full gRPC method paths matching this are refused with PERMISSION_DENIED. */
  refuse?: RegExp;
  /** Terminate TLS here; with requestCert, only clients with a certificate from `ca` get through. */
  tls?: { key: Buffer; cert: Buffer; ca: Buffer; requestCert: boolean };
}

export interface GrpcProxy {
  address: string;
  close(): Promise<void>;
}

const PERMISSION_DENIED = 7;

function forwardable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name === ':authority' || name === ':scheme') continue;
    out[name] = value;
  }
  return out;
}

export async function startGrpcProxy(options: GrpcProxyOptions): Promise<GrpcProxy> {
  let upstream: ClientHttp2Session | undefined;
  const session = () => {
    if (!upstream || upstream.closed || upstream.destroyed) {
      upstream = http2.connect(`http://${options.upstream}`);
      upstream.on('error', () => undefined);
    }
    return upstream;
  };

  function relay(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    if (options.refuse?.test(String(headers[':path']))) {
      // A trailers-only answer: the call is refused before it reaches Temporal.
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': String(PERMISSION_DENIED),
          'grpc-message': 'refused by the test proxy',
        },
        { endStream: true },
      );
      return;
    }
    const call = session().request(forwardable(headers));
    call.on('error', () => stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR));
    // The client gave up (a long poll cancelled at shutdown): so does the upstream call.
    stream.on('close', () => call.close());
    let trailers: OutgoingHttpHeaders = {};
    call.on('response', (responseHeaders) => {
      if (stream.destroyed || stream.closed) return;
      if ('grpc-status' in responseHeaders) {
        stream.respond(forwardable(responseHeaders), { endStream: true });
        return;
      }
      stream.respond(forwardable(responseHeaders), { waitForTrailers: true });
      call.pipe(stream);
    });
    call.on('trailers', (received) => (trailers = forwardable(received)));
    stream.on('wantTrailers', () => {
      if (!stream.destroyed) stream.sendTrailers(trailers);
    });
    stream.pipe(call);
  }

  const server = options.tls
    ? http2.createSecureServer({
        key: options.tls.key,
        cert: options.tls.cert,
        ca: options.tls.ca,
        requestCert: options.tls.requestCert,
        rejectUnauthorized: options.tls.requestCert,
      })
    : http2.createServer();
  const sessions = new Set<http2.Http2Session>();
  server.on('session', (opened) => {
    sessions.add(opened);
    opened.on('close', () => sessions.delete(opened));
  });
  server.on('stream', relay);
  server.on('sessionError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        upstream?.destroy();
        for (const opened of sessions) opened.destroy();
        server.close(() => resolve());
      }),
  };
}
