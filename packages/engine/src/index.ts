// The whole public API of @pullguard/engine: the browser-safe API (browser.ts) and what needs Node.
// Anything not exported here is internal; what pullguard's own packages share beyond it is
// `@pullguard/engine/internals` (internals.ts), with no semver promise.
export * from './browser.js';
export { loadManifestFiles, type ManifestFileOptions } from './manifests/load-manifest-files.js';
export { closePlugins, type LoadPluginsOptions, loadPlugins } from './plugins/load-plugins.js';
export { type LoadPoliciesOptions, loadPolicies } from './policy/load-policies.js';
