/**
 * A worker thread of `pullguard check` for large inputs: builds its own engine from the same
 * settings, evaluates its share of the files, and posts each file's result (findings and
 * diagnostics only) back to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ManifestInput } from '@pullguard/engine';
import type { Settings } from '../config/settings.js';
import { setUpEngine } from '../engine-setup.js';
import { evaluateFiles, evaluationContext, type FileResult } from './evaluate-files.js';

export interface CheckWorkerData {
  settings: Settings;
  cwd: string;
  /** This thread's share of the listed inputs (an unreadable one carries its error's message). */
  files: ManifestInput[];
  withWorkloads: boolean;
}

export type CheckWorkerMessage =
  | { type: 'file'; result: FileResult }
  | { type: 'done'; cache: { hits: number; misses: number } };

const data = workerData as CheckWorkerData;
const port = parentPort;
if (port) {
  const setup = await setUpEngine(data.settings, data.cwd);
  const ctx = evaluationContext(setup, data.settings, data.withWorkloads);
  for await (const result of evaluateFiles(data.files, ctx)) {
    port.postMessage({ type: 'file', result } satisfies CheckWorkerMessage);
  }
  const stats = setup.engine.cacheStats();
  port.postMessage({
    type: 'done',
    cache: { hits: stats.hits, misses: stats.misses },
  } satisfies CheckWorkerMessage);
}
