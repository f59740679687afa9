import { registerLruHooks } from './lru-variant.mjs';

// --import: this process's engine uses lru-cache in place of LruMap (lib/lru-variant.mjs).
registerLruHooks({ everywhere: true });
