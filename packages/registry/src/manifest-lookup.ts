import { createHash } from 'node:crypto';
import type { Authorizer, AuthTarget } from './authorizer.js';
import { failure, type LookupFailure, loginHint, protocolHint } from './failure.js';
import { bareMediaType, isIndexMediaType, MANIFEST_ACCEPT } from './media-types.js';
import type { Deadline, RegistryHttp } from './registry-http.js';
import type { TransportResponse } from './transport.js';

export interface ManifestTarget extends AuthTarget {
  /** The tag or digest as it goes into the URL. */
  readonly reference: string;
  /** Set when `reference` is a digest: the answer must be that digest. */
  readonly digest?: string | undefined;
}

export interface ManifestAnswer {
  readonly digest: string;
  readonly mediaType: string;
  readonly index: boolean;
}

/**
 * OCI distribution-spec v1.1.0 (spec.md, "Pulling manifests" and "Checking if content exists in
 * the registry"): `HEAD /v2/<name>/manifests/<reference>` answers 200 with the manifest's digest in
 * `Docker-Content-Digest` and its type in `Content-Type` (Docker Registry HTTP API V2, "Existing
 * Manifests"). A HEAD does not count as a pull on Docker Hub; a GET does. So HEAD is all that is
 * asked, and the manifest is fetched (GET) only when a registry omits `Docker-Content-Digest`; then
 * the digest is computed from the body as the spec defines it (the hash of the exact bytes served)
 * and, for a digest reference, must equal it.
 */
export async function lookupManifest(
  http: RegistryHttp,
  authorizer: Authorizer,
  target: ManifestTarget,
  deadline: Deadline,
): Promise<ManifestAnswer> {
  const head = await request(http, authorizer, target, 'HEAD', deadline);
  const headerDigest = head.headers['docker-content-digest']?.trim();
  if (headerDigest) {
    checkDigest(headerDigest, target);
    return answer(headerDigest, bareMediaType(head.headers['content-type']));
  }
  const get = await request(http, authorizer, target, 'GET', deadline);
  const algorithm = target.digest?.slice(0, target.digest.indexOf(':')) ?? 'sha256';
  const computed = `${algorithm}:${createHash(algorithm).update(get.body).digest('hex')}`;
  const getDigest = get.headers['docker-content-digest']?.trim();
  if (getDigest && getDigest !== computed && getDigest.startsWith(`${algorithm}:`)) {
    throw failure(
      'protocol',
      target.host,
      `${target.host} served a manifest for ${describe(target)} whose content hashes to ${computed}, not the ${getDigest} it claims`,
      protocolHint(target.host),
    );
  }
  checkDigest(computed, target);
  let mediaType = bareMediaType(get.headers['content-type']);
  if (mediaType === '' || mediaType === 'application/json' || mediaType === 'text/plain') {
    mediaType = bodyMediaType(get.body) ?? mediaType;
  }
  return answer(computed, mediaType);
}

function answer(digest: string, mediaType: string): ManifestAnswer {
  return { digest, mediaType, index: isIndexMediaType(mediaType) };
}

/** go-digest v1.0.0 `algorithm.go`: sha256 (64 hex) and sha512 (128 hex) are the registered ones. */
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** A registry's digest must be well formed and, for a digest reference, the one asked about. */
function checkDigest(digest: string, target: ManifestTarget): void {
  if (!DIGEST.test(digest)) {
    throw failure(
      'protocol',
      target.host,
      `${target.host} answered ${describe(target)} with a malformed digest ${JSON.stringify(digest.slice(0, 140))}`,
      protocolHint(target.host),
    );
  }
  if (target.digest !== undefined && digest !== target.digest) {
    throw failure(
      'protocol',
      target.host,
      `${target.host} answered ${describe(target)} with the content of ${digest}`,
      protocolHint(target.host),
    );
  }
}

async function request(
  http: RegistryHttp,
  authorizer: Authorizer,
  target: ManifestTarget,
  method: 'HEAD' | 'GET',
  deadline: Deadline,
): Promise<TransportResponse> {
  const url = new URL(`/v2/${target.repository}/manifests/${target.reference}`, target.base);
  let authorization = await authorizer.authorize(target, deadline);
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { accept: MANIFEST_ACCEPT };
    if (authorization.header !== undefined) headers.authorization = authorization.header;
    const response = await http.send(
      {
        registry: target.registry,
        purpose: 'manifest',
        method,
        url,
        headers,
        maxBodyBytes: MAX_MANIFEST_BYTES,
      },
      deadline,
    );
    if (response.status === 401 && attempt === 0 && authorizer.relearn(target, response, authorization)) {
      authorization = await authorizer.authorize(target, deadline);
      continue;
    }
    if (response.status === 200) return response;
    throw statusFailure(response, target, authorization.credential !== undefined);
  }
}

/**
 * OCI distribution-spec v1.1.0 spec.md "Pulling manifests": registries SHOULD accept manifests of
 * at least 4 MiB; a larger body is refused rather than hashed.
 */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

function statusFailure(
  response: TransportResponse,
  target: ManifestTarget,
  withCredentials: boolean,
): LookupFailure {
  const { host } = target;
  const status = response.status;
  const what = describe(target);
  if (status === 404) {
    return failure(
      'not-found',
      host,
      `${what} does not exist in ${host} (${registryError(response) ?? 'manifest unknown'})`,
      `check the repository and ${target.digest === undefined ? 'tag' : 'digest'}; nothing by that name is in the registry`,
      status,
    );
  }
  if (status === 401 || status === 403) {
    return failure(
      'unauthorized',
      host,
      withCredentials
        ? `${host} refused the credentials for ${target.registry}/${target.repository} (${status})`
        : // Docker Hub answers 401, not 404, for a repository that does not exist.
          `${host} requires credentials for ${target.registry}/${target.repository}, or it does not exist (${status})`,
      loginHint(target.registry),
      status,
    );
  }
  if (status === 429) {
    return failure(
      'rate-limited',
      host,
      `${host} is rate limiting this client (429)${response.headers['retry-after'] ? `; it asks to retry after ${response.headers['retry-after']}` : ''}`,
      target.registry === 'docker.io'
        ? 'Docker Hub limits anonymous clients per IP: run docker login (or pass --registry-auth FILE), or use a mirror'
        : 'retry later, or authenticate to get a higher limit',
      status,
    );
  }
  if (status >= 500) {
    return failure(
      'unreachable',
      host,
      `${host} failed with ${status} for ${what}`,
      `the registry is failing; retry later`,
      status,
    );
  }
  if (status === 400 && /https/i.test(Buffer.from(response.body).toString('utf8'))) {
    return failure(
      'protocol',
      host,
      `${host} speaks HTTPS but was asked over plain HTTP`,
      `remove ${host} from --plain-http / PULLGUARD_PLAIN_HTTP`,
      status,
    );
  }
  return failure('protocol', host, `${host} answered ${status} for ${what}`, protocolHint(host), status);
}

function describe(target: ManifestTarget): string {
  const separator = target.digest === undefined ? ':' : '@';
  return `${target.registry}/${target.repository}${separator}${target.reference}`;
}

/** The first error code of a distribution error body (`{"errors":[{"code":"MANIFEST_UNKNOWN"}]}`). */
function registryError(response: TransportResponse): string | undefined {
  try {
    const { errors } = JSON.parse(Buffer.from(response.body).toString('utf8')) as {
      errors?: Array<{ code?: unknown }>;
    };
    const code = errors?.[0]?.code;
    return typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

function bodyMediaType(body: Uint8Array): string | undefined {
  try {
    const { mediaType } = JSON.parse(Buffer.from(body).toString('utf8')) as { mediaType?: unknown };
    return typeof mediaType === 'string' ? bareMediaType(mediaType) : undefined;
  } catch {
    return undefined;
  }
}
