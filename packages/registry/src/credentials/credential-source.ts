import { apiHost, DOCKER_HUB_DOMAIN, DOCKER_HUB_INDEX_SERVER } from '../endpoint.js';
import { failure } from '../failure.js';
import type { Credential, CredentialSource } from './credential.js';
import {
  CredentialHelperError,
  type CredentialHelperRunner,
  runCredentialHelper,
} from './credential-helper.js';
import type { DockerConfig } from './docker-config.js';

export interface CredentialSourceOptions {
  /** In precedence order: `--registry-auth` first, then Docker's own config. */
  readonly configs: readonly DockerConfig[];
  readonly runHelper?: CredentialHelperRunner | undefined;
  readonly helperTimeoutMs: number;
  /** How long a helper's answer is reused (helpers are processes; ECR's tokens last 12 h). */
  readonly helperCacheMs: number;
  readonly now: () => number;
}

/**
 * Docker's precedence (docker/cli configfile `GetCredentialsStore`): a registry's `credHelpers`
 * entry, else `credsStore`, else the `auths` entry. When the store has nothing for the registry
 * the `auths` entry is still used (docker/cli would answer anonymous; a config that has both was
 * written by hand for this registry). The first config that knows the registry decides.
 */
export function createCredentialSource(options: CredentialSourceOptions): CredentialSource {
  const runHelper = options.runHelper ?? runCredentialHelper;
  const helperAnswers = new Map<string, { until: number; answer: Promise<Credential | undefined> }>();

  const askHelper = (helper: string, registry: string): Promise<Credential | undefined> => {
    // The server URL docker/cli stores Docker Hub's credentials under; other registries by host.
    const serverUrl = registry === DOCKER_HUB_DOMAIN ? DOCKER_HUB_INDEX_SERVER : registry;
    const key = `${helper}\n${serverUrl}`;
    const cached = helperAnswers.get(key);
    if (cached && cached.until > options.now()) return cached.answer;
    const answer = runHelper(helper, serverUrl, { timeoutMs: options.helperTimeoutMs }).catch(
      (error: unknown) => {
        helperAnswers.delete(key); // a failure is not remembered
        if (!(error instanceof CredentialHelperError)) throw error;
        throw failure(
          'unauthorized',
          apiHost(registry),
          `cannot get credentials for ${registry}: ${error.message}`,
          `install the credential helper or fix the Docker config, or pass --registry-auth FILE`,
        );
      },
    );
    helperAnswers.set(key, { until: options.now() + options.helperCacheMs, answer });
    return answer;
  };

  return {
    async lookup(registry) {
      for (const config of options.configs) {
        const helper = config.credHelpers.get(registry) ?? config.credsStore;
        const entry = config.auths.get(registry);
        if (helper !== undefined) {
          const fromHelper = await askHelper(helper, registry);
          if (fromHelper) return fromHelper;
        }
        if (entry) return entry;
      }
      return undefined;
    },
  };
}
