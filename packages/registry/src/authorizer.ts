import { LRUCache } from 'lru-cache';
import type { Credential, CredentialSource } from './credentials/credential.js';
import type { PlainHttpHosts } from './endpoint.js';
import { failure, loginHint, protocolHint } from './failure.js';
import type { Deadline, RegistryHttp } from './registry-http.js';
import type { TransportResponse } from './transport.js';
import { type Challenge, parseWwwAuthenticate } from './www-authenticate.js';

/** What a registry host asks for, learnt from `GET /v2/` or a 401 (`none`: it answered without auth). */
type HostAuth = { readonly scheme: 'none' } | { readonly scheme: 'basic' } | BearerChallenge;
interface BearerChallenge {
  readonly scheme: 'bearer';
  readonly realm: URL;
  readonly service: string | undefined;
}

export interface AuthTarget {
  readonly registry: string;
  /** The API host (`registry-1.docker.io`). */
  readonly host: string;
  readonly base: URL;
  readonly repository: string;
}

/** What was sent, so a 401 can say whether credentials were refused or missing. */
export interface Authorization {
  readonly header: string | undefined;
  readonly credential: Credential | undefined;
}

const TOKEN_MAX_BYTES = 64 * 1024;
/** Docker token spec (distribution docs/spec/auth/token.md): `expires_in` "defaults to 60 seconds". */
const DEFAULT_TOKEN_SECONDS = 60;
/** A token is renewed this long before it expires, so one is never sent in its last moments. */
const TOKEN_MARGIN_MS = 5000;

/**
 * The distribution auth flows (distribution docs/spec/auth/token.md and RFC 7617): a host's scheme
 * is learnt once from `GET /v2/` (the "API version check" of the spec, which Docker Hub does not
 * count as a pull), then every manifest request carries Basic credentials or a Bearer token for
 * `repository:NAME:pull` from the challenge's realm. Tokens are cached until `expires_in`; pings and
 * token requests are shared by concurrent lookups. Credentials only ever travel over HTTPS (or to
 * hosts listed in --plain-http) and are never put in a message.
 */
export class Authorizer {
  readonly #hosts = new Map<string, Promise<HostAuth>>();
  readonly #tokens: LRUCache<string, { token: string; expiresAt: number }>;
  readonly #pending = new Map<string, Promise<string>>();

  constructor(
    private readonly http: RegistryHttp,
    private readonly credentials: CredentialSource,
    private readonly plainHttp: PlainHttpHosts,
    private readonly now: () => number,
  ) {
    this.#tokens = new LRUCache({ max: 10_000 });
  }

  /** The Authorization header for a manifest request (undefined: anonymous). */
  async authorize(target: AuthTarget, deadline: Deadline): Promise<Authorization> {
    const auth = await this.#hostAuth(target, deadline);
    if (auth.scheme === 'none') return { header: undefined, credential: undefined };
    const credential = await this.credentials.lookup(target.registry, deadline.signal);
    if (auth.scheme === 'basic') {
      if (credential?.kind === 'basic') {
        const encoded = Buffer.from(`${credential.username}:${credential.password}`).toString('base64');
        return { header: `Basic ${encoded}`, credential };
      }
      return { header: undefined, credential: undefined };
    }
    if (credential?.kind === 'registry-token') return { header: `Bearer ${credential.token}`, credential };
    const token = await this.#token(target, auth, credential, deadline);
    return { header: `Bearer ${token}`, credential };
  }

  /**
   * A manifest request got 401: learn the challenge it carries (the token may have expired, or the
   * host's scheme changed) and forget the cached token. True when a retry may succeed.
   */
  relearn(target: AuthTarget, response: TransportResponse, sent: Authorization): boolean {
    const learnt = fromChallenges(parseWwwAuthenticate(response.headers['www-authenticate']), target.host);
    if (learnt === undefined) return false;
    this.#hosts.set(target.host, Promise.resolve(learnt));
    if (learnt.scheme === 'bearer') {
      this.#tokens.delete(tokenKey(target, learnt));
      return sent.header === undefined || sent.header.startsWith('Bearer ');
    }
    // Basic: a retry helps only if credentials exist and were not sent.
    return learnt.scheme === 'basic' && sent.header === undefined;
  }

  #hostAuth(target: AuthTarget, deadline: Deadline): Promise<HostAuth> {
    let known = this.#hosts.get(target.host);
    if (known === undefined) {
      known = this.#ping(target, deadline);
      this.#hosts.set(target.host, known);
      // A failed ping is not remembered: the next lookup asks again.
      const ping = known;
      ping.catch(() => {
        if (this.#hosts.get(target.host) === ping) this.#hosts.delete(target.host);
      });
    }
    return known;
  }

  async #ping(target: AuthTarget, deadline: Deadline): Promise<HostAuth> {
    const response = await this.http.send(
      {
        registry: target.registry,
        purpose: 'ping',
        method: 'GET',
        url: new URL('/v2/', target.base),
        headers: {},
        maxBodyBytes: TOKEN_MAX_BYTES,
      },
      deadline,
    );
    if (response.status === 401) {
      const learnt = fromChallenges(parseWwwAuthenticate(response.headers['www-authenticate']), target.host);
      if (learnt) return learnt;
      throw failure(
        'protocol',
        target.host,
        `${target.host} answered 401 to GET /v2/ without a challenge this client supports (Basic or Bearer)`,
        protocolHint(target.host),
        401,
      );
    }
    // 200, or anything else: the manifest request itself will say what is wrong.
    return { scheme: 'none' };
  }

  #token(
    target: AuthTarget,
    challenge: BearerChallenge,
    credential: Credential | undefined,
    deadline: Deadline,
  ) {
    const key = tokenKey(target, challenge);
    const cached = this.#tokens.get(key);
    if (cached && cached.expiresAt > this.now()) return Promise.resolve(cached.token);
    let pending = this.#pending.get(key);
    if (pending === undefined) {
      pending = this.#fetchToken(target, challenge, credential, deadline).then((token) => {
        this.#tokens.set(key, token);
        return token.token;
      });
      const settled = () => this.#pending.delete(key);
      pending.then(settled, settled);
      this.#pending.set(key, pending);
    }
    return pending;
  }

  async #fetchToken(
    target: AuthTarget,
    challenge: BearerChallenge,
    credential: Credential | undefined,
    deadline: Deadline,
  ): Promise<{ token: string; expiresAt: number }> {
    const realmHost = challenge.realm.host;
    if (challenge.realm.protocol !== 'https:' && !this.plainHttp.allows(challenge.realm)) {
      throw failure(
        'tls',
        realmHost,
        `${target.host} sends clients to the token service ${challenge.realm.origin} without TLS`,
        `pass --plain-http ${realmHost} if that token service serves plain HTTP on purpose`,
      );
    }
    const scope = `repository:${target.repository}:pull`;
    const url = new URL(challenge.realm);
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: string | undefined;
    if (credential?.kind === 'identity-token') {
      // docker/cli and distribution docs/spec/auth/oauth.md: the identity token is a refresh token.
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credential.token });
      form.set('client_id', 'pullguard');
      if (challenge.service !== undefined) form.set('service', challenge.service);
      form.set('scope', scope);
      body = form.toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else {
      if (challenge.service !== undefined) url.searchParams.set('service', challenge.service);
      url.searchParams.set('scope', scope);
      if (credential?.kind === 'basic') {
        headers.authorization = `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
      }
    }
    const response = await this.http.send(
      {
        registry: target.registry,
        purpose: 'token',
        method: body === undefined ? 'GET' : 'POST',
        url,
        headers,
        body,
        maxBodyBytes: TOKEN_MAX_BYTES,
      },
      deadline,
    );
    if (response.status === 401 || response.status === 403) {
      throw failure(
        'unauthorized',
        realmHost,
        credential
          ? `the token service ${realmHost} rejected the credentials for ${target.registry} (${response.status})`
          : `the token service ${realmHost} refused an anonymous token for ${target.registry}/${target.repository} (${response.status})`,
        loginHint(target.registry),
        response.status,
      );
    }
    if (response.status === 429) {
      throw failure(
        'rate-limited',
        realmHost,
        `the token service ${realmHost} is rate limiting (429)`,
        'retry later',
        429,
      );
    }
    if (response.status >= 500) {
      throw failure(
        'unreachable',
        realmHost,
        `the token service ${realmHost} failed (${response.status})`,
        'retry later; the registry’s token service is failing',
        response.status,
      );
    }
    const parsed = response.status === 200 ? parseTokenResponse(response.body) : undefined;
    if (parsed === undefined) {
      throw failure(
        'protocol',
        realmHost,
        `the token service ${realmHost} answered ${response.status} without a token`,
        protocolHint(realmHost),
        response.status,
      );
    }
    // `issued_at` is not trusted: clocks differ. Counting from receipt errs on the early side.
    const lifetime = parsed.expiresIn * 1000;
    return {
      token: parsed.token,
      expiresAt: this.now() + lifetime - Math.min(TOKEN_MARGIN_MS, lifetime / 2),
    };
  }
}

function tokenKey(target: AuthTarget, challenge: BearerChallenge): string {
  return `${target.host}\n${challenge.realm.href}\n${challenge.service ?? ''}\n${target.repository}`;
}

/** Bearer is preferred when a host offers both (its tokens are scoped); unknown schemes are skipped. */
function fromChallenges(challenges: readonly Challenge[], host: string): HostAuth | undefined {
  const bearer = challenges.find((challenge) => challenge.scheme === 'bearer' && challenge.params.realm);
  if (bearer) {
    let realm: URL;
    try {
      realm = new URL(bearer.params.realm!);
    } catch {
      throw failure(
        'protocol',
        host,
        `${host} names a token realm that is not a URL: ${JSON.stringify(bearer.params.realm)}`,
        protocolHint(host),
      );
    }
    if (realm.username || realm.password || (realm.protocol !== 'https:' && realm.protocol !== 'http:')) {
      throw failure('protocol', host, `${host} names an unusable token realm`, protocolHint(host));
    }
    return { scheme: 'bearer', realm, service: bearer.params.service };
  }
  if (challenges.some((challenge) => challenge.scheme === 'basic')) return { scheme: 'basic' };
  return undefined;
}

/** The Docker token spec's response: `token` or its OAuth2 alias `access_token`, and `expires_in`. */
function parseTokenResponse(body: Uint8Array): { token: string; expiresIn: number } | undefined {
  let json: { token?: unknown; access_token?: unknown; expires_in?: unknown };
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
  const token = typeof json.token === 'string' && json.token ? json.token : json.access_token;
  if (typeof token !== 'string' || token === '') return undefined;
  const expiresIn =
    typeof json.expires_in === 'number' && Number.isFinite(json.expires_in) && json.expires_in > 0
      ? json.expires_in
      : DEFAULT_TOKEN_SECONDS;
  return { token, expiresIn };
}
