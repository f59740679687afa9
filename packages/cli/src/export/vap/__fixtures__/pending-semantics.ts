/**
 * Engine changes the exported CEL already implements, probed in the engine the tests compare
 * against. Until the engine has one, the few inputs whose outcome it changes are left out of the
 * comparison (and counted, and said so on the console); once it is merged, the probe turns true
 * and those inputs are compared like every other.
 *
 * (c) The 255-character repository limit counts the path, not the registry host
 *     (distribution/reference v0.6.0 reference.go `Parse` checks `len(repo.path)`).
 * (b) denied-registries matches aliases of the same registry: an explicit `:443`, and
 *     `index.docker.io` / `registry-1.docker.io` (with or without `:443`) for `docker.io`.
 * (a) allowed-tags matches with RE2 semantics: the generated tag patterns stay within what
 *     JavaScript and RE2 read alike, so nothing is left out for it.
 */
import { compilePolicies, createRuleCatalog, parsePolicies, tryParseImageReference } from '@pullguard/engine';

export const ENGINE_LIMITS_PATH_ONLY = tryParseImageReference(`registry.example.com/${'a'.repeat(250)}`).ok;

/** True when the engine would judge `raw` by the old name-length rule differently from the new one. */
export function nameLengthPending(raw: string, name: string | undefined, path: string | undefined): boolean {
  if (ENGINE_LIMITS_PATH_ONLY || name === undefined || path === undefined) return false;
  return name.length > 255 && path.length <= 255 && !tryParseImageReference(raw).ok;
}

export const ENGINE_DENIES_ALIASES = (() => {
  const { documents } = parsePolicies([
    {
      text: 'apiVersion: pullguard.dev/v1\nkind: PullPolicy\nmetadata: {name: p}\nspec:\n  namespaces: ["*"]\n  rules: [{rule: denied-registries, with: {registries: ["docker.io/acme/"]}}]\n',
    },
  ]);
  const compiled = compilePolicies(documents, createRuleCatalog().registry);
  if (!compiled.ok) throw new Error('probe policy does not compile');
  const rule = compiled.set.planFor('x', {}).rules[0];
  const set = (rule?.options as { set: { match(name: string): unknown } }).set;
  return set.match('registry-1.docker.io/acme/app') !== undefined;
})();

/** Hosts another name of which (an explicit :443, Docker Hub's names) the alias change matches. */
export function aliasPending(lname: string): boolean {
  if (ENGINE_DENIES_ALIASES) return false;
  const host = lname.split('/')[0] ?? '';
  return host.endsWith(':443') || host === 'registry-1.docker.io' || host === 'index.docker.io';
}

export function pendingNotice(counts: Readonly<Record<string, number>>): string | undefined {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what}`);
  return parts.length === 0
    ? undefined
    : `NOTICE: left out of the comparison until the engine has the change the CEL already implements: ${parts.join(', ')}`;
}
