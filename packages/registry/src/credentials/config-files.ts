import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PullguardError } from '@pullguard/engine';
import { type PathSegment, parseUserDocuments, type UserDocument } from '@pullguard/engine/internals';
import {
  type ConfigProblem,
  type DockerConfig,
  emptyDockerConfig,
  parseDockerCfg,
  parseDockerConfig,
} from './docker-config.js';

/**
 * Docker's own configuration, where docker/cli looks (cli/config/config.go `Dir`):
 * `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. A missing file means no credentials;
 * an unreadable or malformed one is an error naming the file.
 */
export function loadDockerConfig(
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
): DockerConfig {
  const dir = env.DOCKER_CONFIG || join(homeDir, '.docker');
  const file = join(dir, 'config.json');
  const text = readOptional(file);
  if (text === undefined) return emptyDockerConfig(file);
  return parseDockerConfig(parseJson(text, file), file);
}

const SECRET_TYPES: Record<string, string> = {
  'kubernetes.io/dockerconfigjson': '.dockerconfigjson',
  'kubernetes.io/dockercfg': '.dockercfg',
};

/**
 * `--registry-auth FILE`: a Docker `config.json`, or Kubernetes Secrets of type
 * `kubernetes.io/dockerconfigjson` (key `.dockerconfigjson`) or `kubernetes.io/dockercfg` (key
 * `.dockercfg`, the legacy form), as YAML or JSON, several documents or a `List` allowed — what
 * `kubectl get secret -o yaml` prints. Every problem is a CONFIG_INVALID error at its file, line
 * and column, naming the field (inside a Secret's encoded data: the data field, and the path in it).
 */
export function loadRegistryAuthFile(file: string): DockerConfig[] {
  const text = readOptional(file);
  if (text === undefined)
    throw new PullguardError('CONFIG_INVALID', `--registry-auth: ${file} does not exist`);
  const configs: DockerConfig[] = [];
  const documents = parseUserDocuments(text, file, { code: 'CONFIG_INVALID', what: 'registry auth file' });
  for (const document of documents) collect(document, document.value, [], configs);
  if (configs.length === 0) {
    throw new PullguardError(
      'CONFIG_INVALID',
      `--registry-auth: ${file} holds no Docker config or pull Secret`,
      { location: { file, line: 1, column: 1 } },
    );
  }
  return configs;
}

/** Mistakes at `path` (below `base`) of a document, located there. */
function located(document: UserDocument, base: readonly PathSegment[]): ConfigProblem {
  return (path, message) => {
    const { code, ...problem } = document.problem([...base, ...path], message);
    throw new PullguardError(code, problem.message, problem);
  };
}

function collect(document: UserDocument, value: unknown, path: PathSegment[], into: DockerConfig[]): void {
  const object = value as Record<string, unknown>;
  const kind = object !== null && typeof object === 'object' ? object.kind : undefined;
  if (kind === 'List' && Array.isArray(object.items)) {
    for (const [index, item] of object.items.entries())
      collect(document, item, [...path, 'items', index], into);
  } else if (kind === 'Secret') {
    into.push(secretConfig(document, object, path));
  } else {
    into.push(parseDockerConfig(value, document.file ?? '', located(document, path)));
  }
}

function secretConfig(
  document: UserDocument,
  secret: Record<string, unknown>,
  path: readonly PathSegment[],
): DockerConfig {
  const fail: ConfigProblem = located(document, path);
  const metadata = (secret.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const name = `Secret ${typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : ''}${String(metadata.name ?? '')}`;
  const key = typeof secret.type === 'string' ? SECRET_TYPES[secret.type] : undefined;
  if (key === undefined) {
    fail(
      ['type'],
      `${name} has type ${JSON.stringify(secret.type)}; a pull secret has type kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg`,
    );
  }
  const stringData = secret.stringData as Record<string, unknown> | undefined;
  const data = secret.data as Record<string, unknown> | undefined;
  let text: string;
  let field: PathSegment[];
  // The API server merges stringData over data; so do we.
  if (typeof stringData?.[key] === 'string') {
    text = stringData[key] as string;
    field = ['stringData', key];
  } else if (typeof data?.[key] === 'string') {
    field = ['data', key];
    text = Buffer.from(data[key] as string, 'base64').toString('utf8');
  } else {
    fail(['data', key], `${name} has no data[${JSON.stringify(key)}]`);
  }
  // Fields of the encoded config are located at the data field that holds it.
  const inData: ConfigProblem = located(document, [...path, ...field]);
  const parsed = parseJson(text, () => inData([], `of ${name} is not valid JSON`));
  const source = `${document.file}: ${name}`;
  return key === '.dockercfg'
    ? parseDockerCfg(parsed, source, inData)
    : parseDockerConfig(parsed, source, inData);
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw new PullguardError('CONFIG_INVALID', `cannot read ${file}: ${(error as Error).message}`);
  }
}

/** A secret-bearing document: the parse error says where, never quotes the text. */
function parseJson(text: string, invalid: string | (() => never)): unknown {
  try {
    return JSON.parse(text);
  } catch {
    if (typeof invalid === 'string') throw new PullguardError('CONFIG_INVALID', `${invalid}: not valid JSON`);
    return invalid();
  }
}
