import { createServer as createHttpServer, request as httpRequest, type RequestListener } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy in front of a test registry that records every request and can misbehave the
 * ways real registries and networks do: answer slowly, or omit `Docker-Content-Digest` (as some
 * registries and caching proxies do, which forces the client's GET-and-hash path).
 */
export interface ProxyRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface RegistryProxy {
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  readonly requests: ProxyRecord[];
  /** Manifest requests (`/v2/…/manifests/…`) seen so far, by method. */
  manifestRequests(method?: 'HEAD' | 'GET'): ProxyRecord[];
  setDelay(ms: number): void;
  stop(): Promise<void>;
}

export interface ProxyOptions {
  /** `HOST:PORT` of the registry. */
  readonly target: string;
  readonly delayMs?: number | undefined;
  /** Removes `Docker-Content-Digest` from every response. */
  readonly stripDigest?: boolean | undefined;
  /** Serves HTTPS with this certificate and key (PEM) instead of plain HTTP. */
  readonly tls?: { readonly cert: string; readonly key: string } | undefined;
}

const MANIFEST_PATH = /^\/v2\/.+\/manifests\/[^/]+$/;

export async function startRegistryProxy(options: ProxyOptions): Promise<RegistryProxy> {
  const requests: ProxyRecord[] = [];
  let delayMs = options.delayMs ?? 0;
  const [targetHost, targetPort] = options.target.split(':');
  const handler: RequestListener = (incoming, outgoing) => {
    const forward = () => {
      const upstream = httpRequest(
        {
          host: targetHost,
          port: Number(targetPort),
          method: incoming.method,
          path: incoming.url,
          headers: { ...incoming.headers, host: options.target },
        },
        (response) => {
          const headers = { ...response.headers };
          if (options.stripDigest) delete headers['docker-content-digest'];
          requests.push({
            method: incoming.method ?? '',
            path: incoming.url ?? '',
            status: response.statusCode ?? 0,
          });
          outgoing.writeHead(response.statusCode ?? 502, headers);
          response.pipe(outgoing);
        },
      );
      upstream.on('error', () => outgoing.destroy());
      incoming.pipe(upstream);
    };
    if (delayMs > 0) setTimeout(forward, delayMs);
    else forward();
  };
  const server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    manifestRequests: (method) =>
      requests.filter(
        (record) =>
          MANIFEST_PATH.test(record.path.split('?')[0]!) &&
          (method === undefined || record.method === method),
      ),
    setDelay(ms) {
      delayMs = ms;
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
