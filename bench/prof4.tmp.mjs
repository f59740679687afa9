import { loadManifestObjects } from '@pullguard/engine';
import { benchEngine } from '/work/main/bench/lib/pullguard.mjs';
import { loadRealCorpus } from '/work/main/bench/lib/real-corpus.mjs';

const objects = loadRealCorpus().objects.map((o) => o.object);
const texts = objects.map((o) => JSON.stringify(o));
const ns = new Set(objects.map((o) => o.metadata?.namespace));
console.log('namespaces', ns.size);
const med = (a) => a.sort((x, y) => x - y)[a.length >> 1];
async function timeEach(name, make, fn, n = 40) {
  const r = [];
  for (let i = 0; i < n; i++) {
    const x = await make();
    const t = performance.now();
    await fn(x);
    r.push(performance.now() - t);
  }
  console.log(name, med(r).toFixed(2));
}
await timeEach(
  'JSON.parse',
  () => null,
  () => {
    for (const t of texts) JSON.parse(t);
  },
);
await timeEach(
  'loadManifestObjects',
  () => null,
  () => {
    for (const o of objects) loadManifestObjects(o);
  },
);
await timeEach(
  'cold fresh cache on',
  () => benchEngine(),
  async (e) => {
    for (const o of objects) await e.evaluate(o);
  },
);
await timeEach(
  'cold fresh cache off',
  () => benchEngine({ cache: false }),
  async (e) => {
    for (const o of objects) await e.evaluate(o);
  },
);
const steady = await benchEngine({ cache: false });
await timeEach(
  'steady no-cache',
  () => steady,
  async (e) => {
    for (const o of objects) await e.evaluate(o);
  },
);
const warm = await benchEngine();
for (const o of objects) await warm.evaluate(o);
await timeEach(
  'warm',
  () => warm,
  async (e) => {
    for (const o of objects) await e.evaluate(o);
  },
);
const loaded = objects.map((o) => loadManifestObjects(o));
await timeEach(
  'warm preloaded',
  () => warm,
  async (e) => {
    for (const l of loaded) await e.evaluate(l);
  },
);
await timeEach(
  'steady no-cache preloaded',
  () => steady,
  async (e) => {
    for (const l of loaded) await e.evaluate(l);
  },
);
