/**
 * The network as the client sees it: one HTTP exchange at a time. The default is
 * `createNodeTransport`; tests and embedders may inject any other (a fake, a proxy-aware one).
 * Everything above this interface — auth, retries, rate limits, caching — is the same for all.
 */

export interface TransportRequest {
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  /** Aborts the exchange: the lookup's deadline, or the caller's own signal. */
  readonly signal: AbortSignal;
  /** A body longer than this fails the exchange (`too-large`): manifests and tokens are small. */
  readonly maxBodyBytes: number;
}

export interface TransportResponse {
  readonly status: number;
  /** Lowercased names; a repeated header's values joined with `, ` (as `WWW-Authenticate` allows). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Empty for HEAD. */
  readonly body: Uint8Array;
}

export interface Transport {
  request(request: TransportRequest): Promise<TransportResponse>;
  /** Frees pooled connections (keep-alive sockets). */
  close?(): void;
}

/**
 * Why an exchange produced no response. `reset` is the one the client retries; `plaintext` means
 * the server answered a TLS handshake with plain HTTP (a registry without TLS).
 */
export type TransportErrorCode =
  | 'refused'
  | 'reset'
  | 'dns'
  | 'network'
  | 'connect-timeout'
  | 'aborted'
  | 'tls'
  | 'plaintext'
  | 'too-large'
  | 'protocol';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly code: TransportErrorCode,
    message: string,
  ) {
    super(message);
  }
}
