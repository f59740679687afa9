// The whole public API of @pullguard/server.
export {};
