/**
 * CPU profile of just the scenario, not of the set-up before it: the V8 profiler driven through
 * node:inspector (what `--cpu-prof` uses, but started and stopped around `scenario`).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

/** Runs `scenario` under the profiler; writes `<dir>/scenario.<pid>.<name>.cpuprofile` and returns its path. */
export async function profileScenario(dir, name, scenario) {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
    await scenario();
    const { profile } = await session.post('Profiler.stop');
    const file = join(dir, `scenario.${process.pid}.${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    return file;
  } finally {
    session.disconnect();
  }
}
