import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import {
  type Transport,
  TransportError,
  type TransportErrorCode,
  type TransportRequest,
} from './transport.js';

/**
 * The default transport on node:http/https rather than the global fetch: fetch (undici) in Node 20
 * takes no CA bundle or connect timeout without the separate `undici` package's dispatcher, and it
 * reports every network failure as one opaque "fetch failed". node:https takes `ca` per agent and
 * gives the socket's error codes (ECONNREFUSED, ECONNRESET, CERT_HAS_EXPIRED, …) that the failure
 * kinds and hints are made of, and its `signal` option aborts a request at the deadline.
 */
export interface NodeTransportOptions {
  /** A TCP connection not established within this fails with `connect-timeout`. */
  readonly connectTimeoutMs: number;
  /** Extra trusted CA certificates (PEM), added to the default store, never replacing it. */
  readonly extraCa?: string | undefined;
}

export function createNodeTransport(options: NodeTransportOptions): Transport {
  const ca = options.extraCa === undefined ? undefined : [...defaultCaCertificates(), options.extraCa];
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true, ...(ca ? { ca } : {}) }),
  };
  return {
    request: (request) => exchange(request, agents, options.connectTimeoutMs),
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

/**
 * Passing `ca` replaces Node's store, so the default is spelled out: the bundled Mozilla roots plus
 * `NODE_EXTRA_CA_CERTS` (Node ≥ 22.15 has `tls.getCACertificates('default')`, which is exactly that,
 * and includes the OS store under `--use-system-ca`).
 */
function defaultCaCertificates(): string[] {
  const get = (tls as { getCACertificates?: (type: string) => string[] }).getCACertificates;
  if (typeof get === 'function') return get('default');
  const extraFile = process.env.NODE_EXTRA_CA_CERTS;
  let extra: string[] = [];
  try {
    if (extraFile) extra = [readFileSync(extraFile, 'utf8')];
  } catch {
    // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS; so do we (by ignoring it).
  }
  return [...tls.rootCertificates, ...extra];
}

function exchange(
  request: TransportRequest,
  agents: { 'http:': http.Agent; 'https:': https.Agent },
  connectTimeoutMs: number,
) {
  return new Promise<{ status: number; headers: Record<string, string | undefined>; body: Uint8Array }>(
    (resolve, reject) => {
      if (request.signal.aborted) {
        reject(new TransportError('aborted', 'the request was aborted before it started'));
        return;
      }
      const secure = request.url.protocol === 'https:';
      const send = secure ? https.request : http.request;
      let connectTimer: NodeJS.Timeout | undefined;
      const fail = (error: unknown) => {
        clearTimeout(connectTimer);
        reject(error instanceof TransportError ? error : toTransportError(error, request.signal));
      };
      const outgoing = send(request.url, {
        method: request.method,
        headers: request.headers,
        agent: secure ? agents['https:'] : agents['http:'],
        signal: request.signal,
      });
      outgoing.on('socket', (socket) => {
        if (!socket.connecting) return; // a kept-alive connection
        connectTimer = setTimeout(() => {
          outgoing.destroy(
            new TransportError('connect-timeout', `no connection within ${connectTimeoutMs} ms`),
          );
        }, connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connectTimer));
      });
      outgoing.on('error', fail);
      outgoing.on('response', (incoming) => {
        clearTimeout(connectTimer);
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > request.maxBodyBytes) {
            incoming.destroy(
              new TransportError('too-large', `the response body exceeds ${request.maxBodyBytes} bytes`),
            );
            return;
          }
          chunks.push(chunk);
        });
        incoming.on('error', fail);
        incoming.on('end', () => {
          const headers: Record<string, string | undefined> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: incoming.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
        });
      });
      outgoing.end(request.body);
    },
  );
}

const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/;

/** Node's socket and TLS error codes as the few cases the client acts on. */
function toTransportError(error: unknown, signal: AbortSignal): TransportError {
  const { code = '', message = String(error) } = error as { code?: string; message?: string };
  let kind: TransportErrorCode = 'network';
  if (signal.aborted || code === 'ABORT_ERR') kind = 'aborted';
  else if (code === 'ECONNREFUSED') kind = 'refused';
  else if (code === 'ECONNRESET' || code === 'EPIPE') kind = 'reset';
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') kind = 'dns';
  else if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(message))
    kind = 'plaintext';
  else if (TLS_CODE.test(code) || code === 'EPROTO') kind = 'tls';
  else if (code.startsWith('HPE_')) kind = 'protocol';
  return new TransportError(kind, code && !message.includes(code) ? `${code}: ${message}` : message);
}
