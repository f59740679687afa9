/**
 * The images of the admitted object and their references, parsed in CEL as the engine parses them
 * (packages/engine/src/images: distribution/reference v0.6.0 `ParseNormalizedNamed` with go-digest
 * v1.0.0 digests), and their effective pull policy (pkg/apis/core/v1 defaults.go). CEL has no
 * reference parser and no regex captures, so each reference is taken apart with `indexOf` and
 * `substring` in stages (one variable each, so every stage is computed once per request and has
 * its own per-expression cost limit), and checked whole against the grammar as RE2 patterns.
 *
 * Every stage maps `variables.<previous>` to records of the fields the next stages need. The last
 * one, `variables.refs`, has per image: raw, type, container, policy (as declared, '' if unset),
 * effective, valid, domain, path, tag ('' = none), digest ('' = none), name, lname (the name with
 * its host lowercased, what patterns match) and, when asked for, mname (lname, or the raw string
 * with its first component lowercased when the reference is invalid: what exemptions match),
 * hostname/port/hasPort/hpath (for patterns with wildcards in the host), and for `registry`
 * pattern sets the name in its canonical spelling and its parts (image-patterns.ts
 * `spelledTarget`).
 */
import { DOCKER_HUB_HOSTS } from '@pullguard/engine/internals';
import { record, str, strList } from './cel.js';
import { OBJECT, podSpecExpression, type WorkloadKind } from './workloads.js';

export interface Variable {
  name: string;
  expression: string;
}

/** reference.go v0.6.0 / image-reference.ts REFERENCE_MAX_LENGTH: nothing longer is valid, so nothing longer is scanned. */
const REFERENCE_MAX_LENGTH = 1024;
/** distribution/reference v0.6.0 reference.go `NameTotalLengthMax`, checked against the path (v0.6.0 `Parse`). */
const NAME_TOTAL_LENGTH_MAX = 255;

// regexp.go v0.6.0, as RE2: a path component, the tag, and the digests go-digest v1.0.0 accepts
// (the algorithms Kubernetes links, each with its exact lowercase hex length).
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}';
const DIGEST = 'sha256:[a-f0-9]{64}|sha384:[a-f0-9]{96}|sha512:[a-f0-9]{128}';
/** A repository path with optional tag and digest: what follows the registry host (or all of it). */
export const REMOTE_RE = `^${PATH}(?::${TAG})?(?:@(?:${DIGEST}))?$`;
const LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
/** regexp.go v0.6.0 `domainAndPort`: a DNS name, IPv4 address or bracketed IPv6 address, optional port. */
export const HOST_RE = `^(?:${LABEL}(?:\\.${LABEL})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`;
/** regexp.go v0.6.0 `identifier`: an image ID, never a repository name. */
const IDENTIFIER_RE = '^[a-f0-9]{64}$';

const PULL_POLICIES = "['Always', 'IfNotPresent', 'Never']";

export interface ReferenceOptions {
  kinds: readonly WorkloadKind[];
  /** Add `mname` (exemption `images` on invalid-image findings match the raw string). */
  matchNames: boolean;
  /** Add `hostname`, `port`, `hasPort` of mname (or lname) for host wildcard patterns. */
  hostParts: boolean;
  /** Add the canonical spelling of the name of a valid reference (implies `hostParts`), for `registry` pattern sets. */
  spellings: boolean;
}

/** The variables that compute `variables.refs` (and the object's name), in evaluation order. */
export function referenceVariables(options: ReferenceOptions): Variable[] {
  const stages: { expression: (from: string) => string }[] = [
    { expression: (from) => `${from}.map(i, ${split('i')})` },
    { expression: (from) => `${from}.map(s, ${candidate('s')})` },
    { expression: (from) => `${from}.map(s, ${domain('s')})` },
    { expression: (from) => `${from}.map(s, ${tagAndPath('s')})` },
    { expression: (from) => `${from}.map(s, ${finish('s', options.matchNames)})` },
  ];
  if (options.hostParts || options.spellings) {
    stages.push({ expression: (from) => `${from}.map(s, ${hostOf('s', options.matchNames)})` });
    stages.push({
      expression: (from) => `${from}.map(s, ${hostParts('s', options.matchNames, options.spellings)})`,
    });
  }
  if (options.spellings) {
    stages.push({ expression: (from) => `${from}.map(s, ${spelled('s', options.matchNames)})` });
  }
  const variables: Variable[] = [
    { name: 'object', expression: 'dyn(object)' },
    { name: 'workloadName', expression: workloadName() },
    { name: 'podSpec', expression: podSpecExpression(options.kinds) },
    { name: 'images', expression: images() },
  ];
  let from = 'variables.images';
  stages.forEach((stage, index) => {
    const name = index === stages.length - 1 ? 'refs' : `refs${index}`;
    variables.push({ name, expression: stage.expression(from) });
    from = `variables.${name}`;
  });
  variables.push({ name: 'pullSecrets', expression: pullSecrets() });
  return variables;
}

/** WorkloadRef.name: metadata.name, else generateName, else '' (manifest-collector.ts). */
function workloadName(): string {
  const meta = `${OBJECT}.metadata`;
  return `!has(${OBJECT}.metadata) ? '' : has(${meta}.name) ? string(${meta}.name) : has(${meta}.generateName) ? string(${meta}.generateName) : ''`;
}

/**
 * Every image the pod pulls (extract-images.ts): containers, init containers (`sidecar` with
 * `restartPolicy: Always`, KEP-753), ephemeral containers and image volumes (KEP-4639), with the
 * pull policy as written. Entries without an image are skipped, as the engine does.
 */
function images(): string {
  const spec = 'variables.podSpec';
  const list = (field: string, type: string) =>
    `(has(${spec}.${field}) ? ${spec}.${field}.filter(c, has(c.image)).map(c, ${record({
      raw: 'string(c.image)',
      policy: "has(c.imagePullPolicy) ? string(c.imagePullPolicy) : ''",
      type,
      container: "has(c.name) ? string(c.name) : ''",
    })}) : [])`;
  const volumes = `(has(${spec}.volumes) ? ${spec}.volumes.filter(v, has(v.image) && has(v.image.reference)).map(v, ${record(
    {
      raw: 'string(v.image.reference)',
      policy: "has(v.image.pullPolicy) ? string(v.image.pullPolicy) : ''",
      type: "'volume'",
      container: "has(v.name) ? string(v.name) : ''",
    },
  )}) : [])`;
  return [
    list('containers', "'container'"),
    list('initContainers', "has(c.restartPolicy) && c.restartPolicy == 'Always' ? 'sidecar' : 'init'"),
    list('ephemeralContainers', "'ephemeral'"),
    volumes,
  ].join(' + ');
}

/** Names of the pod's imagePullSecrets that are set (extract-images.ts readPullSecrets). */
function pullSecrets(): string {
  const spec = 'variables.podSpec';
  return `has(${spec}.imagePullSecrets) ? ${spec}.imagePullSecrets.filter(s, has(s.name) && string(s.name) != '').size() : 0`;
}

const copy = (v: string, fields: readonly string[]) =>
  Object.fromEntries(fields.map((f) => [f, `${v}.${f}`]));

/** Stage 1: the first `/`-component, what follows it, and the digest (after `@`). */
function split(i: string): string {
  const short = `${i}.raw.size() <= ${REFERENCE_MAX_LENGTH}`;
  return record({
    ...copy(i, ['raw', 'policy', 'type', 'container']),
    short,
    first: `${short} && ${i}.raw.contains('/') ? ${i}.raw.substring(0, ${i}.raw.indexOf('/')) : ''`,
    rest: `${short} && ${i}.raw.contains('/') ? ${i}.raw.substring(${i}.raw.indexOf('/') + 1) : ''`,
    digest: `${short} && ${i}.raw.contains('@') ? ${i}.raw.substring(${i}.raw.indexOf('@') + 1) : ''`,
  });
}

const BASE = ['raw', 'policy', 'type', 'container', 'short', 'first', 'rest', 'digest'];

/**
 * Stage 2, normalize.go v0.6.0 `splitDockerDomain`: the first component names a registry when it
 * is `localhost` or `index.docker.io`, or has a `.`, a `:` or an uppercase letter; `host` when it
 * is also a valid `domainAndPort` (otherwise, if it is a valid path component, the whole name is
 * a path without a domain: reference.go `Parse` matches the domain as optional).
 */
function candidate(s: string): string {
  const first = `${s}.first`;
  const isCandidate = `${first} != '' && (${first} == 'localhost' || ${first} == 'index.docker.io' || ${first}.contains('.') || ${first}.contains(':') || ${first}.lowerAscii() != ${first})`;
  return record({
    ...copy(s, BASE),
    candidate: isCandidate,
    host: `${isCandidate} && ${first}.matches(${str(HOST_RE)})`,
  });
}

/** Stage 3: the domain (`index.docker.io` is `docker.io`; '' for a domain-less path), grammar check, name and tag without digest. */
function domain(s: string): string {
  const named = `${s}.host ? ${s}.rest : ${s}.raw`;
  const remote = `(${named})`;
  return record({
    ...copy(s, ['raw', 'policy', 'type', 'container', 'digest']),
    domain: `${s}.host ? (${s}.first == 'index.docker.io' ? 'docker.io' : ${s}.first) : (${s}.candidate ? '' : 'docker.io')`,
    grammar: `${s}.short && ${remote}.matches(${str(REMOTE_RE)}) && !${s}.raw.matches(${str(IDENTIFIER_RE)})`,
    remote: `!${s}.short ? '' : ${remote}.contains('@') ? ${remote}.substring(0, ${remote}.indexOf('@')) : ${remote}`,
  });
}

/** Stage 4: the tag, and the path (Docker Hub names of one component get `library/`). */
function tagAndPath(s: string): string {
  const rpath = `(${s}.remote.contains(':') ? ${s}.remote.substring(0, ${s}.remote.indexOf(':')) : ${s}.remote)`;
  return record({
    ...copy(s, ['raw', 'policy', 'type', 'container', 'digest', 'domain', 'grammar']),
    tag: `${s}.remote.contains(':') ? ${s}.remote.substring(${s}.remote.indexOf(':') + 1) : ''`,
    path: `${s}.domain == 'docker.io' && !${rpath}.contains('/') ? 'library/' + ${rpath} : ${rpath}`,
  });
}

const FINAL = ['raw', 'policy', 'type', 'container', 'digest', 'domain', 'tag', 'path'];

/**
 * Stage 5: validity (the grammar, and the path at most 255 characters), names, and the effective
 * pull policy: the declared one when valid, else the API server's default (SetDefaults_Container,
 * SetDefaults_Volume: `Always` for `:latest` or no tag and no digest, `IfNotPresent` otherwise and
 * for a reference that does not parse).
 */
function finish(s: string, matchNames: boolean): string {
  const valid = `(${s}.grammar && ${s}.path.size() <= ${NAME_TOTAL_LENGTH_MAX})`;
  const lname = `(${s}.domain == '' ? ${s}.path : ${s}.domain.lowerAscii() + '/' + ${s}.path)`;
  const runsAsLatest = `(${s}.tag == 'latest' || (${s}.tag == '' && ${s}.digest == ''))`;
  const fields: Record<string, string> = {
    ...copy(s, FINAL),
    valid,
    name: `${s}.domain == '' ? ${s}.path : ${s}.domain + '/' + ${s}.path`,
    lname,
    effective: `${s}.policy in ${PULL_POLICIES} ? ${s}.policy : (${valid} && ${runsAsLatest} ? 'Always' : 'IfNotPresent')`,
  };
  if (matchNames) {
    // image-pattern.ts canonicalHostName on the raw string: ASCII-lowercase up to the first '/'.
    const raw = `${s}.raw`;
    fields['mname'] =
      `${valid} ? ${lname} : (${raw}.contains('/') ? ${raw}.substring(0, ${raw}.indexOf('/')).lowerAscii() + ${raw}.substring(${raw}.indexOf('/')) : ${raw}.lowerAscii())`;
  }
  return record(fields);
}

const REFS = [...FINAL, 'valid', 'name', 'lname', 'effective'];

/**
 * Stage 6 (host wildcards and spellings only): the first component of the matched name, what
 * follows it, and the host split at its last ']' (pattern-glob.ts splitHost looks for the port
 * after it).
 * `indexOf`/`lastIndexOf` are only called where the string holds what they look for: cel-go
 * before v0.22 (Kubernetes 1.30/1.31) fails on an empty receiver or an offset at its end.
 */
function hostOf(s: string, matchNames: boolean): string {
  const m = `${s}.${matchNames ? 'mname' : 'lname'}`;
  const host = `(${m}.contains('/') ? ${m}.substring(0, ${m}.indexOf('/')) : ${m})`;
  return record({
    ...copy(s, refsFields(matchNames)),
    hpath: `${m}.contains('/') ? ${m}.substring(${m}.indexOf('/')) : ''`,
    lead: `${host}.contains(']') ? ${host}.substring(0, ${host}.lastIndexOf(']') + 1) : ''`,
    tail: `${host}.contains(']') ? ${host}.substring(${host}.lastIndexOf(']') + 1) : ${host}`,
  });
}

/**
 * Stage 7 (host wildcards and spellings only): hostname and port; the port follows the first ':'
 * after the last ']'. With spellings also `cport`, the port without leading zeros (bound once with
 * a one-element `map`, CEL having no `let`).
 */
function hostParts(s: string, matchNames: boolean, spellings: boolean): string {
  const tail = `${s}.tail`;
  const port = `${tail}.contains(':') ? ${tail}.substring(${tail}.indexOf(':') + 1) : ''`;
  const fields: Record<string, string> = {
    ...copy(s, [...refsFields(matchNames), 'hpath']),
    hostname: `${s}.lead + (${tail}.contains(':') ? ${tail}.substring(0, ${tail}.indexOf(':')) : ${tail})`,
    port,
    hasPort: `${tail}.contains(':')`,
  };
  if (spellings) fields['cport'] = `[${port}].map(p, ${withoutLeadingZeros('p')})[0]`;
  return record(fields);
}

/**
 * registry-aliases.ts canonicalRegistryHost: a port without its leading zeros, keeping the last
 * digit (`0443` → `443`, `000` → `0`). CEL has no loop over characters: the zeros before the last
 * digit become spaces, `trim` drops the leading ones (the last digit keeps the trailing ones) and
 * the rest become zeros again. Linear, and `p` is not empty where it is cut.
 */
function withoutLeadingZeros(p: string): string {
  const last = `${p}.size() - 1`;
  return `${p}.startsWith('0') ? (${p}.substring(0, ${last}).replace('0', ' ') + ${p}.substring(${last})).trim().replace(' ', '0') : ${p}`;
}

/**
 * Stage 8 (spellings only), registry-aliases.ts canonicalRegistryName over lname: the host
 * without `:443` and with its port without leading zeros, Docker Hub's names as `docker.io` with
 * `library/` for a one-component path; and, for pathSpellings, an official image's path without
 * `library/`. Read only for valid references (whose mname is lname).
 */
function spelled(s: string, matchNames: boolean): string {
  const hasPort = `(${s}.hasPort && ${s}.cport != '443')`;
  const hub = `(${s}.hostname in ${strList(DOCKER_HUB_HOSTS)} && !${hasPort})`;
  const host = `(${hub} ? 'docker.io' : ${hasPort} ? ${s}.hostname + ':' + ${s}.cport : ${s}.hostname)`;
  const oneComponent = `${s}.hpath.matches('^/[^/]*$')`;
  const path = `(${hub} && ${oneComponent} ? '/library' + ${s}.hpath : ${s}.hpath)`;
  return record({
    ...copy(s, [...refsFields(matchNames), 'hpath', 'hostname', 'port', 'hasPort', 'cport']),
    hub,
    chost: host,
    chasPort: hasPort,
    cpath: path,
    cname: `${host} + ${path}`,
    cshort: `!${hub} ? '' : ${oneComponent} ? ${s}.hpath : ${s}.hpath.matches('^/library/[^/]*$') ? ${s}.hpath.substring(8) : ''`,
  });
}

function refsFields(matchNames: boolean): string[] {
  return matchNames ? [...REFS, 'mname'] : REFS;
}

/**
 * The docker CLI's short form of a valid ref (normalize.go v0.6.0 `FamiliarString`), for messages
 * and facts: on Docker Hub the domain goes (`docker.io/acme/app` → `acme/app`), and so does
 * `library/` before a one-component path (`docker.io/library/nginx` → `nginx`); elsewhere the name
 * stays whole.
 */
export function familiarName(r: string): string {
  const hubPath = `(${r}.path.startsWith('library/') && !${r}.path.substring(8).contains('/') ? ${r}.path.substring(8) : ${r}.path)`;
  return `((${r}.domain == 'docker.io' ? ${hubPath} : ${r}.name) + (${r}.tag != '' ? ':' + ${r}.tag : '') + (${r}.digest != '' ? '@' + ${r}.digest : ''))`;
}
