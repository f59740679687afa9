import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PullguardError } from '@pullguard/engine';
import { parseAllDocuments } from 'yaml';
import { type DockerConfig, emptyDockerConfig, parseDockerCfg, parseDockerConfig } from './docker-config.js';

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
 * `kubectl get secret -o yaml` prints. Every problem is a CONFIG_INVALID error naming file and field.
 */
export function loadRegistryAuthFile(file: string): DockerConfig[] {
  const text = readOptional(file);
  if (text === undefined)
    throw new PullguardError('CONFIG_INVALID', `--registry-auth: ${file} does not exist`);
  const configs: DockerConfig[] = [];
  for (const [index, document] of parseAllDocuments(text).entries()) {
    const where = `${file} (document ${index + 1})`;
    const [problem] = document.errors;
    if (problem) {
      const line = problem.linePos?.[0];
      throw new PullguardError(
        'CONFIG_INVALID',
        `${file}${line ? `:${line.line}:${line.col}` : ''}: not valid YAML or JSON: ${problem.message.split('\n')[0]}`,
      );
    }
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    collect(value, where, configs);
  }
  if (configs.length === 0) {
    throw new PullguardError(
      'CONFIG_INVALID',
      `--registry-auth: ${file} holds no Docker config or pull Secret`,
    );
  }
  return configs;
}

function collect(value: unknown, where: string, into: DockerConfig[]): void {
  const object = value as Record<string, unknown>;
  if (
    object !== null &&
    typeof object === 'object' &&
    object.kind === 'List' &&
    Array.isArray(object.items)
  ) {
    for (const [index, item] of object.items.entries()) collect(item, `${where} items[${index}]`, into);
    return;
  }
  if (object !== null && typeof object === 'object' && object.kind === 'Secret') {
    into.push(secretConfig(object, where));
    return;
  }
  into.push(parseDockerConfig(value, where));
}

function secretConfig(secret: Record<string, unknown>, where: string): DockerConfig {
  const metadata = (secret.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  const name = `Secret ${typeof metadata.namespace === 'string' ? `${metadata.namespace}/` : ''}${String(metadata.name ?? '')}`;
  const key = typeof secret.type === 'string' ? SECRET_TYPES[secret.type] : undefined;
  if (key === undefined) {
    throw new PullguardError(
      'CONFIG_INVALID',
      `${where}: ${name} has type ${JSON.stringify(secret.type)}; a pull secret has type kubernetes.io/dockerconfigjson or kubernetes.io/dockercfg`,
    );
  }
  const stringData = secret.stringData as Record<string, unknown> | undefined;
  const data = secret.data as Record<string, unknown> | undefined;
  let text: string;
  let field: string;
  // The API server merges stringData over data; so do we.
  if (typeof stringData?.[key] === 'string') {
    text = stringData[key] as string;
    field = `stringData[${JSON.stringify(key)}]`;
  } else if (typeof data?.[key] === 'string') {
    field = `data[${JSON.stringify(key)}]`;
    text = Buffer.from(data[key] as string, 'base64').toString('utf8');
  } else {
    throw new PullguardError('CONFIG_INVALID', `${where}: ${name} has no data[${JSON.stringify(key)}]`);
  }
  const source = `${where}: ${name} ${field}`;
  const parsed = parseJson(text, source);
  return key === '.dockercfg' ? parseDockerCfg(parsed, source) : parseDockerConfig(parsed, source);
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
function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new PullguardError('CONFIG_INVALID', `${source}: not valid JSON`);
  }
}
