/**
 * A profiling scenario (run under `node --cpu-prof` by the measurement modules' profile()): the
 * real corpus evaluated object by object for `seconds`, with the result cache off (`cold`: every
 * rule runs, as on a cold cache, without the untimed reloads the benchmark uses) or warm.
 * argv: <cold|warm> <seconds>
 */

import { benchEngine } from '../lib/pullguard.mjs';
import { loadRealCorpus } from '../lib/real-corpus.mjs';
import { evaluateAll } from '../measures/eval-vs-json.mjs';

const [mode, seconds] = process.argv.slice(2);
const objects = loadRealCorpus().objects.map((o) => o.object);
const engine = await benchEngine({ cache: mode === 'warm' ? undefined : false });
await evaluateAll(engine, objects);
const end = Date.now() + Number(seconds) * 1000;
while (Date.now() < end) await evaluateAll(engine, objects);
