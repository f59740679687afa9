/**
 * Runs one measurement module in its own process (so that measurements do not share a heap or a
 * JIT state, and a crash or hang stays contained) and sends its results to the runner over IPC.
 * argv: <module file> ; the settings come in the first IPC message.
 */
import { pathToFileURL } from 'node:url';
import { Unavailable } from './pullguard.mjs';

const [moduleFile] = process.argv.slice(2);

process.once('message', async (settings) => {
  const log = (line) => process.stderr.write(`${line}\n`);
  try {
    const measure = await import(pathToFileURL(moduleFile).href);
    const run = settings.profile ? measure.profile : measure.run;
    if (typeof run !== 'function')
      throw new Unavailable(`${moduleFile} has no ${settings.profile ? 'profile' : 'run'}()`);
    const results = await run({ ...settings, log });
    process.send({ ok: true, results }, () => process.exit(0));
  } catch (error) {
    const unavailable = error instanceof Unavailable;
    process.send(
      { ok: false, unavailable, reason: unavailable ? error.message : (error.stack ?? String(error)) },
      () => process.exit(0),
    );
  }
});
