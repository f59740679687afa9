// The whole public API of @pullguard/engine. Anything not exported here is internal.
// biome-ignore-all assist/source/organizeImports: exports are grouped by stage, not sorted across stages

// --- contracts: domain types, errors, rule/plugin contract, stage boundaries ---
export * from './engine-api.js';
export * from './errors.js';
export * from './registry-contract.js';
export * from './rule-contract.js';
export * from './types.js';

// --- image references and pull-policy semantics ---

export { compileImagePattern, type ImagePattern, type PatternSpellings } from './images/image-pattern.js';
export { compileImagePatternSet, type ImagePatternSet } from './images/image-pattern-set.js';
export {
  createImageParser,
  type ImageParser,
  type ImageReferenceResult,
  parseImageReference,
  REFERENCE_MAX_LENGTH,
  REPOSITORY_PATH_MAX_LENGTH,
  tryParseImageReference,
} from './images/image-reference.js';
// Registry spellings and the matchers under image patterns, for translations of pattern sets (export vap).
export { hostMatches, splitHost } from './images/pattern-glob.js';
export { DOCKER_HUB_HOSTS, hostSpellings } from './images/registry-aliases.js';
export { wildcardMatch } from './wildcard.js';
export { explainImage, type ImageExplanation, type PolicyMeaning } from './images/explain-image.js';
export {
  effectivePullPolicy,
  isMutableReference,
  isPullPolicy,
  type PullPolicyInput,
} from './images/pull-policy.js';

// --- files: the one directory walker (manifests, policies, policy tests) ---
export { readFailure } from './files/read-text.js';
export { type WalkEntry, type WalkOptions, walkPath } from './files/walk-files.js';

// --- manifests ---
export { DEFAULT_MANIFEST_LIMITS } from './manifests/limits.js';
export {
  listManifestInputs,
  loadManifestFiles,
  loadManifestInputs,
  type ManifestFileOptions,
  type ManifestInput,
  STDIN_NAME,
} from './manifests/load-manifest-files.js';
export { loadManifestObjects, loadManifests } from './manifests/load-manifests.js';
export {
  CORE_POD_SPEC_PATHS,
  type PodSpecPath,
  runsPods,
  WELL_KNOWN_POD_SPEC_PATHS,
} from './manifests/workload-kinds.js';

// --- policies: parsing, compilation, namespace resolution, explain ---
export { type CompilePoliciesOptions, compilePolicies } from './policy/compile-policies.js';
export type {
  CompiledExemption,
  CompiledPolicySet,
  CompiledPolicyView,
  CompiledRule,
  CompileResult,
  NamespacePlan,
  RulesById,
} from './policy/compiled-policy.js';
export {
  EXPIRING_WITHIN_MS,
  type ExemptionStatus,
  exemptionStatus,
  parseExpiry,
} from './policy/compile-exemptions.js';
export { type LoadPoliciesOptions, loadPolicies, readPolicies } from './policy/load-policies.js';
export { type NamespacesFile, parseNamespacesFile } from './policy/namespaces-file.js';
export {
  type ParsedPolicies,
  POLICY_API_VERSION,
  POLICY_KIND,
  parsePolicies,
} from './policy/parse-policies.js';
export { pullPolicySchema } from './policy/policy-schema.js';

// --- documents users write: located YAML, field paths, JSON Schema checks ---
export { formatFieldPath, type PathSegment } from './documents/field-path.js';
export type { GeneratedValidators } from './documents/precompiled-validators.js';
export {
  compileSchemaCheck,
  type LocatedSchemaProblem,
  SCHEMA_CHECK_OPTIONS,
  type SchemaCheck,
  type SchemaCheckOptions,
  type SchemaMessages,
  selfContainedSchema,
} from './documents/schema-check.js';
export {
  parseUserDocument,
  parseUserDocuments,
  throwProblems,
  type UserDocument,
  type UserDocumentOptions,
} from './documents/user-document.js';

// --- registry: fixtures, and lookups for commands that ask registries themselves (fix, drift) ---
export {
  createFixtureResolver,
  type RegistryFixtureAnswer,
  type RegistryFixtureProblem,
  type RegistryFixtures,
  registryFixtureProblems,
} from './registry/fixture-resolver.js';
export { type ParsedRegistryFixtures, parseRegistryFixtures } from './registry/fixtures-text.js';
export {
  createRegistryLookups,
  type RegistryLookupOptions,
  type RegistryLookups,
} from './registry/lookups.js';
export { pinnedImage, tagLookup } from './registry/registry-facts.js';
export { endpointHost } from './registry/registry-host.js';

// --- rules, evaluation, cache, engine ---
export { createEngine } from './evaluate/engine.js';
export { buildFacts, type FactsNamespace } from './evaluate/facts.js';
export { mergeFixes } from './evaluate/fixes.js';
export { BUILTIN_POLICY } from './evaluate/prepared-plan.js';
export { isBlockingFinding, reportVerdict } from './evaluate/verdict.js';
export { ResultCache } from './evaluate/result-cache.js';
export { createRuleCatalog, type RuleCatalog } from './plugins/catalog.js';
export { resolveHostModules } from './plugins/host-modules.js';
export { closePlugins, type LoadPluginsOptions, loadPlugins } from './plugins/load-plugins.js';
export { builtinRules, EXPRESSION_RULE, INVALID_IMAGE_RULE } from './rules/index.js';
export { type CompiledLogic, compileLogic, LOGIC_LIMITS, LogicError } from './rules/json-logic/compile.js';
// User-written patterns, matched in linear time (RE2): what allowed-tags uses, offered to plugins.
export { compileFullMatch, type FullMatchPattern, type FullMatchResult } from './rules/re2-pattern.js';
