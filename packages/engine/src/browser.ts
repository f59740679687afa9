// @pullguard/engine in a browser (package.json exports, condition `browser`): the evaluation API
// of index.ts — the same modules, so the same code the CLI and the server run — without what
// needs Node: reading files and directories (loadPolicies, walkPath, loadManifestFiles), plugins
// in worker threads (loadPlugins) and schemas compiled at run time (compileSchemaCheck). The
// few engine modules on the evaluation path that use Node have browser twins, mapped by
// package.json `browser` (sha256, the package's own files, js-yaml's version).
// biome-ignore-all assist/source/organizeImports: exports are grouped by stage, as in index.ts

export * from './engine-api.js';
export * from './errors.js';
export * from './registry-contract.js';
export * from './rule-contract.js';
export * from './types.js';

export { explainImage, type ImageExplanation, type PolicyMeaning } from './images/explain-image.js';
export { createImageParser, parseImageReference, tryParseImageReference } from './images/image-reference.js';
export { effectivePullPolicy, isMutableReference, isPullPolicy } from './images/pull-policy.js';

export { DEFAULT_MANIFEST_LIMITS } from './manifests/limits.js';
export { loadManifestObjects, loadManifests } from './manifests/load-manifests.js';
export { CORE_POD_SPEC_PATHS, runsPods, WELL_KNOWN_POD_SPEC_PATHS } from './manifests/workload-kinds.js';

export { type NamespacesFile, parseNamespacesFile } from './policy/namespaces-file.js';
export {
  type ParsedPolicies,
  POLICY_API_VERSION,
  POLICY_KIND,
  parsePolicies,
} from './policy/parse-policies.js';

export {
  createFixtureResolver,
  type RegistryFixtureAnswer,
  type RegistryFixtureProblem,
  type RegistryFixtures,
  registryFixtureProblems,
} from './registry/fixture-resolver.js';

export { type ParsedRegistryFixtures, parseRegistryFixtures } from './registry/fixtures-text.js';
export { createEngine } from './evaluate/engine.js';
export { isBlockingFinding, reportVerdict } from './evaluate/verdict.js';
export { builtinRules } from './rules/index.js';
