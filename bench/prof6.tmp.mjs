import { readFileSync } from 'node:fs';
import { compilePolicies, createRuleCatalog, parsePolicies } from '@pullguard/engine';
import { loadRealCorpus } from '/work/main/bench/lib/real-corpus.mjs';

const objects = loadRealCorpus().objects.map((o) => o.object);
const nss = [...new Set(objects.map((o) => o.metadata?.namespace ?? 'default'))];
const { documents } = parsePolicies([
  { text: readFileSync('/work/main/bench/policies/bench-policy.yaml', 'utf8'), file: 'b.yaml' },
]);
const { registry } = createRuleCatalog([]);
const sets = Array.from({ length: 200 }, () => compilePolicies(documents, registry).set);
for (let i = 0; i < 50; i++) for (const n of nss) sets[i].planFor(n, undefined);
const t = performance.now();
for (let i = 50; i < 200; i++) for (const n of nss) sets[i].planFor(n, undefined);
console.log('planFor fresh, per set (14 namespaces):', ((performance.now() - t) / 150).toFixed(3), 'ms');
const t2 = performance.now();
for (let i = 50; i < 200; i++) for (const n of nss) sets[i].planFor(n, undefined);
console.log('planFor memoized, per set:', ((performance.now() - t2) / 150).toFixed(3), 'ms');
