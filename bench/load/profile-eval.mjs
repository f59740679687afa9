/**
 * A profiling scenario for the measurement modules' profile(), profiled after its set-up:
 * - `warm`: the real corpus evaluated object by object, again and again, warm result cache;
 * - `cold`: one engine (hot code) meeting new workloads all the time: synthetic corpora of fresh
 *   seeds, generated beforehand, so that image parsing and the result cache miss as in a first
 *   evaluation. (The real corpus cannot be evaluated cold twice by one engine.)
 * argv: <cold|warm> <seconds> <profile dir> ; prints the profile's path.
 */
import { profileScenario } from '../lib/inspector-profile.mjs';
import { benchEngine } from '../lib/pullguard.mjs';
import { loadRealCorpus } from '../lib/real-corpus.mjs';
import { syntheticCorpus } from '../lib/synthetic.mjs';
import { evaluateAll } from '../measures/eval-vs-json.mjs';

const [mode, seconds, dir] = process.argv.slice(2);
const engine = await benchEngine();
let file;
if (mode === 'warm') {
  const objects = loadRealCorpus().objects.map((o) => o.object);
  for (let i = 0; i < 20; i++) await evaluateAll(engine, objects);
  file = await profileScenario(dir, 'eval-warm', async () => {
    const end = Date.now() + Number(seconds) * 1000;
    while (Date.now() < end) await evaluateAll(engine, objects);
  });
} else {
  const batches = Array.from(
    { length: 40 },
    (_, seed) => syntheticCorpus({ count: 1_000, seed: seed + 1 }).objects,
  );
  await evaluateAll(engine, batches.pop());
  await evaluateAll(engine, batches.pop());
  file = await profileScenario(dir, 'eval-cold', async () => {
    const end = Date.now() + Number(seconds) * 1000;
    while (Date.now() < end && batches.length > 0) await evaluateAll(engine, batches.pop());
  });
}
process.stdout.write(file);
