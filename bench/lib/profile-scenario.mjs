/** Runs load/profile-eval.mjs under --cpu-prof in `dir`; returns the pid whose profile to read. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { benchDir } from './paths.mjs';

export function profileEvaluation(dir, mode, seconds = 8) {
  const result = spawnSync(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      join(benchDir, 'load', 'profile-eval.mjs'),
      mode,
      String(seconds),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return {
    value: 1,
    pid: result.pid,
    scenario:
      mode === 'warm'
        ? 'the real corpus evaluated object by object, warm result cache'
        : 'the real corpus evaluated object by object, result cache off (every rule runs, as on a cold cache)',
  };
}
