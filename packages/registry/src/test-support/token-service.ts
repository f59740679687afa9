import { createSign, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { selfSignedCertificate } from './certificates.js';

/**
 * A token service as distribution's token auth expects it (docs/spec/auth/token.md and jwt.md):
 * `GET /token?service=…&scope=repository:NAME:ACTIONS` with optional Basic credentials, or the
 * OAuth2 `POST /token` refresh-token grant (docs/spec/auth/oauth.md), answering a JWT signed
 * RS256 whose `x5c` header carries a self-signed certificate the registry trusts
 * (`auth.token.rootcertbundle`).
 */
export interface TokenServiceOptions {
  readonly dir: string;
  /** username → password; these get every action they ask for. */
  readonly users: Readonly<Record<string, string>>;
  /** refresh token → username, for the OAuth2 grant (Docker's `identitytoken`). */
  readonly refreshTokens?: Readonly<Record<string, string>> | undefined;
  /** Anonymous clients get `pull` (true) or nothing. */
  readonly anonymousPull: boolean;
  /** `expires_in` of the answers; omitted from them when undefined (the spec's 60 s default). */
  readonly expiresIn?: number | undefined;
}

export interface TokenRequest {
  readonly method: string;
  readonly client: 'basic' | 'refresh-token' | 'anonymous' | 'rejected';
  readonly scopes: readonly string[];
  /** Exactly what the client sent as Authorization (tests assert it never reaches a message). */
  readonly authorization: string | undefined;
  /** The token issued, if any. */
  token?: string;
}

export interface TokenService {
  readonly realm: string;
  /** `127.0.0.1:PORT`. */
  readonly host: string;
  readonly service: string;
  readonly issuer: string;
  /** The PEM bundle for the registry's `rootcertbundle`. */
  readonly certFile: string;
  readonly requests: TokenRequest[];
  stop(): Promise<void>;
}

export async function startTokenService(options: TokenServiceOptions): Promise<TokenService> {
  const { keyFile, certFile } = selfSignedCertificate(options.dir, 'token', 'pullguard-test-token');
  const key = readFileSync(keyFile, 'utf8');
  const certDer = readFileSync(certFile, 'utf8')
    .replace(/-----(BEGIN|END) CERTIFICATE-----/g, '')
    .replace(/\s+/g, '');
  const service = 'pullguard-test-registry';
  const issuer = 'pullguard-test-issuer';
  const requests: TokenRequest[] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const form = request.method === 'POST' ? new URLSearchParams(await readBody(request)) : undefined;
    const params = form ?? url.searchParams;
    const scopes = params
      .getAll('scope')
      .flatMap((scope) => scope.split(' '))
      .filter(Boolean);
    const client = identify(request, form, options);
    const record: TokenRequest = {
      method: request.method ?? '',
      client: client.kind,
      scopes,
      authorization: request.headers.authorization,
    };
    requests.push(record);
    if (client.kind === 'rejected') {
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end('{"details":"incorrect username or password"}');
      return;
    }
    const access = scopes.flatMap((scope) => {
      const [type, name, actions] = splitScope(scope);
      if (type !== 'repository' || name === undefined) return [];
      const granted =
        client.kind === 'anonymous' ? (options.anonymousPull ? ['pull'] : []) : (actions ?? '').split(',');
      return [
        {
          type,
          name,
          actions: granted.filter((action) => action === 'pull' || action === 'push' || action === 'delete'),
        },
      ];
    });
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      sub: client.kind === 'anonymous' ? '' : client.user,
      aud: params.get('service') ?? service,
      exp: now + (options.expiresIn ?? 60) + 60,
      nbf: now - 60,
      iat: now,
      jti: randomUUID(),
      access,
    };
    const token = sign({ typ: 'JWT', alg: 'RS256', x5c: [certDer] }, claims, key);
    record.token = token;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        options.expiresIn === undefined
          ? { token }
          : { token, access_token: token, expires_in: options.expiresIn },
      ),
    );
  };
  const server = createServer((request, response) => {
    // A bug here must fail the test's lookup loudly, not hang it.
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`token service error: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    realm: `http://${host}/token`,
    host,
    service,
    issuer,
    certFile,
    requests,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Client =
  | { kind: 'basic' | 'refresh-token'; user: string }
  | { kind: 'anonymous' }
  | { kind: 'rejected' };

function identify(
  request: IncomingMessage,
  form: URLSearchParams | undefined,
  options: TokenServiceOptions,
): Client {
  if (form?.get('grant_type') === 'refresh_token') {
    const user = options.refreshTokens?.[form.get('refresh_token') ?? ''];
    return user === undefined ? { kind: 'rejected' } : { kind: 'refresh-token', user };
  }
  const header = request.headers.authorization;
  if (header === undefined) return { kind: 'anonymous' };
  if (!header.startsWith('Basic ')) return { kind: 'rejected' };
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = decoded.slice(0, colon);
  return colon > 0 && options.users[user] === decoded.slice(colon + 1)
    ? { kind: 'basic', user }
    : { kind: 'rejected' };
}

/** `repository:team/app:pull,push` — the name itself may hold no colon but a port-less host path. */
function splitScope(scope: string): [string, string | undefined, string | undefined] {
  const first = scope.indexOf(':');
  const last = scope.lastIndexOf(':');
  if (first === -1 || last === first) return [scope, undefined, undefined];
  return [scope.slice(0, first), scope.slice(first + 1, last), scope.slice(last + 1)];
}

function sign(header: object, claims: object, key: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(input).sign(key).toString('base64url');
  return `${input}.${signature}`;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}
