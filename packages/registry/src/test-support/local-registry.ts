import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OciPusher } from './oci-push.js';
import { freePort, hasProgram, killGroup, spawnGroup, tempDir, waitFor } from './processes.js';
import { startTokenService, type TokenService } from './token-service.js';

/**
 * A real registry for tests: Debian's `docker-registry` (distribution 2.8.2) on 127.0.0.1 and a
 * free port, storage in a temp dir, in its own process group (killed by `stop()` and, failing
 * that, when the test process exits). Anonymous, htpasswd Basic auth (bcrypt, `htpasswd -Bbn`), or
 * the Bearer token flow behind `startTokenService`. Used by this package's tests, the CLI's e2e
 * tests and the bench.
 */
export type RegistryAuth =
  | { readonly kind: 'none' }
  | { readonly kind: 'htpasswd'; readonly users: Readonly<Record<string, string>> }
  | {
      readonly kind: 'token';
      readonly users: Readonly<Record<string, string>>;
      readonly refreshTokens?: Readonly<Record<string, string>> | undefined;
      readonly anonymousPull?: boolean | undefined;
      readonly expiresIn?: number | undefined;
    };

export interface AccessLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface LocalRegistry {
  /** `127.0.0.1:PORT`: both the registry domain of image references and its API host. */
  readonly host: string;
  readonly tokenService?: TokenService | undefined;
  /** Pushes images, indexes and tag moves (with push credentials when auth is on). */
  readonly push: OciPusher;
  /** Requests the registry served, from its access log (written once each response is done). */
  accessLog(): AccessLogEntry[];
  /** Waits until the access log holds at least `count` entries matching `filter`. */
  waitForAccessLog(filter: (entry: AccessLogEntry) => boolean, count: number): Promise<AccessLogEntry[]>;
  stop(): Promise<void>;
}

/** Why the registry tests cannot run here, or undefined when they can. */
export function registryUnavailable(): string | undefined {
  if (!hasProgram('docker-registry'))
    return 'docker-registry is not installed (apt-get install -y docker-registry)';
  if (!hasProgram('htpasswd', ['-nbB', 'u', 'p']))
    return 'htpasswd is not installed (apt-get install -y apache2-utils)';
  if (!hasProgram('openssl', ['version'])) return 'openssl is not installed';
  return undefined;
}

/**
 * Why the real-registry tests of `suite` skip here (printed once, visibly), or undefined when they
 * run. In CI they never skip: `.ci/run` installs the registry, so a missing one must fail the run.
 */
export function realRegistrySkip(suite: string): string | undefined {
  const reason = process.env.CI ? undefined : registryUnavailable();
  if (reason) console.warn(`[${suite}] SKIPPING real-registry tests: ${reason}`);
  return reason;
}

const ACCESS_LINE = /"([A-Z]+) (\S+) HTTP\/[\d.]+" (\d{3}) /;

export async function startLocalRegistry(auth: RegistryAuth = { kind: 'none' }): Promise<LocalRegistry> {
  const dir = tempDir('pullguard-registry-');
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  let tokenService: TokenService | undefined;
  let authConfig = '';
  let pushAuthorization: (repository: string) => Promise<string | undefined> = async () => undefined;
  const [user, password] = Object.entries(auth.kind === 'none' ? {} : auth.users)[0] ?? [];

  if (auth.kind === 'htpasswd') {
    const lines = Object.entries(auth.users).map(([name, secret]) =>
      execFileSync('htpasswd', ['-Bbn', name, secret], { encoding: 'utf8' }).trim(),
    );
    writeFileSync(join(dir.path, 'htpasswd'), `${lines.join('\n')}\n`);
    authConfig = `auth: { htpasswd: { realm: pullguard-test, path: ${join(dir.path, 'htpasswd')} } }`;
    if (user !== undefined) {
      const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      pushAuthorization = async () => basic;
    }
  } else if (auth.kind === 'token') {
    tokenService = await startTokenService({
      dir: dir.path,
      users: auth.users,
      refreshTokens: auth.refreshTokens,
      anonymousPull: auth.anonymousPull ?? false,
      expiresIn: auth.expiresIn,
    });
    const service = tokenService;
    authConfig = `auth: { token: { realm: "${service.realm}", service: ${service.service}, issuer: ${service.issuer}, rootcertbundle: ${service.certFile} } }`;
    pushAuthorization = async (repository) => {
      const url = `${service.realm}?service=${service.service}&scope=repository:${repository}:pull,push`;
      const basic =
        user === undefined
          ? {}
          : { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
      const { token } = (await (await fetch(url, { headers: basic })).json()) as { token: string };
      return `Bearer ${token}`;
    };
  }

  const config = [
    'version: 0.1',
    'log: { level: warn, accesslog: { disabled: false } }',
    `storage: { filesystem: { rootdirectory: ${join(dir.path, 'data')} }, delete: { enabled: true } }`,
    `http: { addr: "${host}", secret: local-only }`,
    authConfig,
  ].join('\n');
  writeFileSync(join(dir.path, 'config.yml'), `${config}\n`);

  const log: AccessLogEntry[] = [];
  const output: string[] = [];
  const child = spawnGroup('docker-registry', ['serve', join(dir.path, 'config.yml')], (line) => {
    const match = ACCESS_LINE.exec(line);
    if (match) log.push({ method: match[1]!, path: match[2]!, status: Number(match[3]) });
    else if (output.length < 50) output.push(line);
  });
  const stop = async () => {
    killGroup(child);
    await tokenService?.stop();
    dir.remove();
  };
  try {
    await waitFor(`docker-registry on ${host}`, async () => {
      if (child.exitCode !== null) throw new Error(`docker-registry exited: ${output.join('\n')}`);
      const response = await fetch(`http://${host}/v2/`);
      return response.status === 200 || response.status === 401;
    });
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    host,
    tokenService,
    push: new OciPusher(`http://${host}`, pushAuthorization),
    accessLog: () => [...log],
    async waitForAccessLog(filter, count) {
      await waitFor(`${count} access log entries`, async () => log.filter(filter).length >= count, 5000);
      return log.filter(filter);
    },
    stop,
  };
}
