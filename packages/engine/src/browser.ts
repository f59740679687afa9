// The public API of @pullguard/engine that runs anywhere, and in a browser on its own (package.json
// exports, condition `browser`). index.ts is this plus what needs Node: reading files and directories
// (loadPolicies, loadManifestFiles) and plugins in worker threads (loadPlugins). The few engine
// modules on the evaluation path that use Node have browser twins, mapped by package.json `browser`
// (sha256, the package's own files, js-yaml's version). What pullguard's own packages share beyond
// this is `@pullguard/engine/internals` (internals.ts), with no semver promise.
// biome-ignore-all assist/source/organizeImports: exports are grouped by stage, not sorted across stages

// --- contracts: domain and report types, errors, the rule/plugin and registry contracts, stage boundaries ---
export * from './engine-api.js';
export * from './errors.js';
export * from './registry-contract.js';
export * from './rule-contract.js';
export * from './types.js';

// --- the engine: policies compiled once, evaluated many times ---
export { createEngine } from './evaluate/engine.js';

// --- loaders of what users write: manifests, policies, namespaces files, registry fixtures ---
export { loadManifestObjects, loadManifests } from './manifests/load-manifests.js';
// The preset of extra workload kinds for `manifests.podSpecPaths` (Knative, Argo Rollouts, …).
export { type PodSpecPath, WELL_KNOWN_POD_SPEC_PATHS } from './manifests/workload-kinds.js';
export { type ParsedPolicies, type PolicyLimits, parsePolicies } from './policy/parse-policies.js';
export { type NamespacesFile, parseNamespacesFile } from './policy/namespaces-file.js';
export {
  createFixtureResolver,
  type RegistryFixtureAnswer,
  type RegistryFixtures,
} from './registry/fixture-resolver.js';
export { type ParsedRegistryFixtures, parseRegistryFixtures } from './registry/fixtures-text.js';

// --- image references and pull-policy semantics ---
export {
  parseImageReference,
  type ImageReferenceResult,
  tryParseImageReference,
} from './images/image-reference.js';
export { effectivePullPolicy, type PullPolicyInput } from './images/pull-policy.js';
export { explainImage, type ImageExplanation, type PolicyMeaning } from './images/explain-image.js';

// --- for plugin rules: user-written patterns matched in linear time (RE2), as allowed-tags does ---
export { compileFullMatch, type FullMatchPattern, type FullMatchResult } from './rules/re2-pattern.js';
