// @pullguard/engine/internals: what pullguard's own packages (the CLI, the server, the SDK's test
// harness, the registry client, the benchmarks) share with the engine beyond its public API — the
// policy compiler and rule catalog (`export vap`, `check`), pattern matchers and registry spellings
// (`export vap`), the directory walker and manifest inputs (`check`, `drift`), located YAML and
// schema checks (config files, request bodies), registry lookups (`fix`, `drift`).
//
// NO SEMVER PROMISE: for pullguard's own packages only. Names here change or go with any release;
// programs embedding the engine use `@pullguard/engine` (index.ts), plugins `@pullguard/sdk`.
// biome-ignore-all assist/source/organizeImports: exports are grouped by stage, not sorted across stages

// --- image patterns and registry spellings, for translations of pattern sets (export vap) ---
export { compileImagePattern, type ImagePattern, type PatternSpellings } from './images/image-pattern.js';
export { compileImagePatternSet } from './images/image-pattern-set.js';
export { hostMatches, splitHost } from './images/pattern-glob.js';
export { DOCKER_HUB_HOSTS, hostSpellings } from './images/registry-aliases.js';
export { wildcardMatch } from './wildcard.js';

// --- files: the one directory walker, and manifest inputs for parallel checks ---
export { readFailure } from './files/read-text.js';
export { walkPath } from './files/walk-files.js';
export {
  listManifestInputs,
  loadManifestInputs,
  type ManifestInput,
} from './manifests/load-manifest-files.js';
export { CORE_POD_SPEC_PATHS, runsPods } from './manifests/workload-kinds.js';

// --- policies: the compiler and its output (compiled-policy.ts) ---
export { compilePolicies } from './policy/compile-policies.js';
export type { CompiledPolicySet, CompiledPolicyView, CompiledRule } from './policy/compiled-policy.js';
export { parseExpiry } from './policy/compile-exemptions.js';
export { POLICY_API_VERSION, POLICY_KIND } from './policy/parse-policies.js';

// --- documents users write: located YAML, field paths, JSON Schema checks ---
export { formatFieldPath, type PathSegment } from './documents/field-path.js';
export type { GeneratedValidators } from './documents/precompiled-validators.js';
export {
  compileSchemaCheck,
  type LocatedSchemaProblem,
  SCHEMA_CHECK_OPTIONS,
  type SchemaCheck,
  type SchemaMessages,
  selfContainedSchema,
} from './documents/schema-check.js';
export {
  parseUserDocument,
  parseUserDocuments,
  throwProblems,
  type UserDocument,
} from './documents/user-document.js';

// --- registry: fixtures checked as a file, and lookups for commands that ask registries (fix, drift) ---
export { registryFixtureProblems } from './registry/fixture-resolver.js';
export { createRegistryLookups, type RegistryLookups } from './registry/lookups.js';
export { pinnedImage, tagLookup } from './registry/registry-facts.js';
export { endpointHost } from './registry/registry-host.js';

// --- rules, plugins, evaluation ---
export { createRuleCatalog } from './plugins/catalog.js';
export { resolveHostModules } from './plugins/host-modules.js';
export { builtinRules, INVALID_IMAGE_RULE } from './rules/index.js';
export { BUILTIN_POLICY } from './evaluate/prepared-plan.js';
export { mergeFixes } from './evaluate/fixes.js';
export { reportVerdict } from './evaluate/verdict.js';
// The benchmarks measure a cache hit against Map.get (bench/measures/cache.mjs).
export { ResultCache } from './evaluate/result-cache.js';
