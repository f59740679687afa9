/**
 * Runs measurement modules in a process of their own (so that they share no heap or JIT state with
 * the runner, and a crash or hang stays contained) and sends the results to the runner over IPC.
 * argv: <module file>… — one module per process in a full run; quick runs group the in-process
 * modules to pay the engine's start-up once. The settings come in the first IPC message.
 */
import { pathToFileURL } from 'node:url';
import { Unavailable } from './pullguard.mjs';
import { useRealCorpus } from './real-corpus.mjs';

const moduleFiles = process.argv.slice(2);

async function runModule(file, settings, log) {
  const measure = await import(pathToFileURL(file).href);
  // `report(results)` hands figures over as soon as they exist: if the process is stopped later
  // (its time spent), what it reported still counts
  const report = (partial) => process.send({ partial });
  try {
    const run = settings.profile ? measure.profile : measure.run;
    if (typeof run !== 'function')
      throw new Unavailable(`${file} has no ${settings.profile ? 'profile' : 'run'}()`);
    report(await run({ ...settings, log, report }));
  } catch (error) {
    const unavailable = error instanceof Unavailable;
    const reason = unavailable ? error.message : `crashed: ${error.stack ?? String(error)}`;
    log(`bench: ${file.slice(file.lastIndexOf('/') + 1)}: ${reason}`);
    report(Object.fromEntries(measure.keys.map((key) => [key, { value: null, reason }])));
  }
}

process.once('message', async ({ corpus, ...settings }) => {
  const log = (line) => process.stderr.write(`${line}\n`);
  if (corpus) useRealCorpus(corpus);
  for (const file of moduleFiles) await runModule(file, settings, log);
  process.send({ done: true }, () => process.exit(0));
});
