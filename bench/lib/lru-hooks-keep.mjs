import { registerLruHooks } from './lru-variant.mjs';

// --import: the same hooks as lru-hooks-swap.mjs, swapping nothing (the other side of a comparison).
registerLruHooks({ everywhere: false });
