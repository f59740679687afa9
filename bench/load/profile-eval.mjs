/**
 * A profiling scenario for the measurement modules' profile(): the real corpus evaluated object
 * by object for `seconds`, with the result cache off (`cold`: every rule runs, as on a cold cache,
 * without the reloads the benchmark uses) or warm. Only the loop is profiled (after a warm-up).
 * argv: <cold|warm> <seconds> <profile dir> ; prints the profile's path.
 */
import { profileScenario } from '../lib/inspector-profile.mjs';
import { benchEngine } from '../lib/pullguard.mjs';
import { loadRealCorpus } from '../lib/real-corpus.mjs';
import { evaluateAll } from '../measures/eval-vs-json.mjs';

const [mode, seconds, dir] = process.argv.slice(2);
const objects = loadRealCorpus().objects.map((o) => o.object);
const engine = await benchEngine({ cache: mode === 'warm' ? undefined : false });
for (let i = 0; i < 20; i++) await evaluateAll(engine, objects);
const file = await profileScenario(dir, `eval-${mode}`, async () => {
  const end = Date.now() + Number(seconds) * 1000;
  while (Date.now() < end) await evaluateAll(engine, objects);
});
process.stdout.write(file);
