/**
 * A worker thread of `pullguard check` for large inputs: builds its own engine from the same
 * settings, evaluates its share of the files, and posts each file's result (findings and
 * diagnostics only) back to the main thread. Registry lookups go to the main thread's resolver
 * (registry/port-resolver.ts).
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { ManifestInput } from '@pullguard/engine/internals';
import type { Settings } from '../config/settings.js';
import { setUpEngine } from '../engine-setup.js';
import { portResolver } from '../registry/port-resolver.js';
import { evaluateFiles, evaluationContext, type FileResult } from './evaluate-files.js';

export interface CheckWorkerData {
  settings: Settings;
  cwd: string;
  /** This thread's share of the listed inputs (an unreadable one carries its error's message). */
  files: ManifestInput[];
  withWorkloads: boolean;
  /** Where registry lookups are answered (the main thread's resolver); none when it has none. */
  registry: MessagePort | undefined;
}

export type CheckWorkerMessage =
  | { type: 'file'; result: FileResult }
  | { type: 'done'; cache: { hits: number; misses: number } };

const data = workerData as CheckWorkerData;
const port = parentPort;
if (port) {
  const resolver = data.registry === undefined ? undefined : portResolver(data.registry);
  const setup = await setUpEngine(data.settings, data.cwd, { resolver });
  const ctx = evaluationContext(setup, data.settings, data.withWorkloads);
  for await (const result of evaluateFiles(data.files, ctx)) {
    port.postMessage({ type: 'file', result } satisfies CheckWorkerMessage);
  }
  const stats = setup.engine.cacheStats();
  port.postMessage({
    type: 'done',
    cache: { hits: stats.hits, misses: stats.misses },
  } satisfies CheckWorkerMessage);
  data.registry?.close();
}
