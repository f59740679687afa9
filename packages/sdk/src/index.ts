// The whole public API of @pullguard/sdk: the engine's API, plugin authoring helpers and the HTTP client.
export * from '@pullguard/engine';
