import { readFile } from 'node:fs/promises';
import { formatDiagnostic, parseNamespacesFile } from '@pullguard/engine';
import type { Logger } from '../logger.js';
import type { Labels, NamespaceLabelStore } from './label-store.js';

/**
 * Reads the namespaces file into `store` (replacing what it said before: a namespace removed from
 * the file is unknown again). A bad entry is logged and the others still apply; a file that cannot
 * be read leaves the labels it gave last in place (the next good read replaces them).
 */
export async function readNamespacesFile(
  file: string,
  store: NamespaceLabelStore,
  logger: Logger,
): Promise<void> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    logger.error({ file, err: error }, 'cannot read the namespaces file; keeping the labels it gave last');
    return;
  }
  const parsed = parseNamespacesFile(text, file);
  for (const d of parsed.errors) logger.error({ file }, `namespaces file: ${formatDiagnostic(d)}`);
  store.replace('file', new Map<string, Labels>(Object.entries(parsed.labels)));
}
