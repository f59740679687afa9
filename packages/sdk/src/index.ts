// The whole public API of @pullguard/sdk: the engine's API (embedding) and the plugin authoring helpers.
// The test harness is `@pullguard/sdk/testing` and the HTTP client `@pullguard/sdk/client`, so that an
// embedding app loads neither.
export * from '@pullguard/engine';
export * from './plugin/index.js';
