import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { benchEngine } from '/work/main/bench/lib/pullguard.mjs';
import { loadRealCorpus } from '/work/main/bench/lib/real-corpus.mjs';

const objects = loadRealCorpus().objects.map((o) => o.object);
const N = 150;
const engines = [];
for (let i = 0; i < N; i++) engines.push(await benchEngine());
for (let i = 0; i < 30; i++) for (const o of objects) await engines[i].evaluate(o);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.start');
const t = performance.now();
for (let i = 30; i < N; i++) for (const o of objects) await engines[i].evaluate(o);
console.log('cold', ((performance.now() - t) / (N - 30)).toFixed(2));
const { profile } = await session.post('Profiler.stop');
writeFileSync('/tmp/prof/cold.cpuprofile', JSON.stringify(profile));
