/** Runs load/profile-eval.mjs in a fresh process; returns the scenario with the profile's path. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { benchDir } from './paths.mjs';

export function profileEvaluation(dir, mode, seconds = 8) {
  const result = spawnSync(
    process.execPath,
    [join(benchDir, 'load', 'profile-eval.mjs'), mode, String(seconds), dir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
    },
  );
  return {
    value: 1,
    profileFile: result.stdout.trim(),
    scenario:
      mode === 'warm'
        ? 'the real corpus evaluated object by object, warm result cache'
        : 'one engine (hot code) evaluating synthetic workloads it has not seen (fresh seeds): image parsing and the result cache miss as in a first evaluation',
  };
}
