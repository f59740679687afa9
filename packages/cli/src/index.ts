// The whole public API of @pullguard/cli (the binary is dist/bin.js).
export {};
