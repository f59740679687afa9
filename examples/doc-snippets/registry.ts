// The registry example of docs/sdk.md: an embedded engine that asks registries, as the CLI does.
// #region registry
import { createEngine, loadPolicies } from '@pullguard/sdk';
import { createResolverFromSettings } from '@pullguard/sdk/registry';
// #endregion registry

export async function engineWithRegistry(policyDir: string) {
  // #region registry
  // The settings the CLI's and server's registry flags give (docs/registry.md): credentials from
  // Docker's config.json (or `registryAuth`: a config.json or a kubernetes.io/dockerconfigjson
  // Secret), `registryCa`, `plainHttp`, `registryTimeout`, `digestTtl`; `offline: true` gives none.
  const resolver = createResolverFromSettings({ registryTimeout: 5_000 });
  const engine = createEngine({ policies: await loadPolicies([policyDir]), resolver });
  // #endregion registry
  return engine;
}
