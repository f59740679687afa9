import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { benchEngine } from '/work/main/bench/lib/pullguard.mjs';
import { loadRealCorpus } from '/work/main/bench/lib/real-corpus.mjs';

const objects = loadRealCorpus().objects.map((o) => o.object);
const texts = objects.map((o) => JSON.stringify(o));
const N = 120;
const engines = await Promise.all(Array.from({ length: N }, () => benchEngine()));
// warm up JIT on a few engines
for (let i = 0; i < 20; i++) for (const o of objects) await engines[i].evaluate(o);
let t = performance.now();
for (let i = 0; i < 20; i++) for (const x of texts) JSON.parse(x);
const jp = (performance.now() - t) / 20;
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
t = performance.now();
for (let i = 20; i < N; i++) for (const o of objects) await engines[i].evaluate(o);
const cold = (performance.now() - t) / (N - 20);
const { profile } = await session.post('Profiler.stop');
writeFileSync('/tmp/prof/cold.cpuprofile', JSON.stringify(profile));
console.log('JSON.parse', jp.toFixed(2), 'cold', cold.toFixed(2), 'ratio', (cold / jp).toFixed(3));
