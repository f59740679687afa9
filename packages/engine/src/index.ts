// The whole public API of @pullguard/engine. Anything not exported here is internal.

// --- contracts: domain types, errors, rule/plugin contract, stage boundaries ---
export * from './engine-api.js';
export * from './errors.js';
export * from './rule-contract.js';
export * from './types.js';

// --- image references and pull-policy semantics ---

// --- manifests ---

// --- policies: parsing, compilation, namespace resolution, explain ---

// --- rules, evaluation, cache, engine ---
