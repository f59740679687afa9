/** `pullguard drift` output: a table for people, JSON (every entry with both digests) for programs. */
import { style as makeStyle, type Style } from '../format/ansi.js';
import { plural } from '../format/table.js';
import { wrap } from '../format/wrap.js';
import type { DriftEntry, DriftState } from './drift.js';

/** Bump on any incompatible change of the JSON shape (docs/cli.md#pullguard-drift). */
export const DRIFT_JSON_VERSION = 1;

const STATES: readonly DriftState[] = ['current', 'drifted', 'pinned', 'unknown'];

export function driftSummary(
  entries: readonly DriftEntry[],
): Record<DriftState, number> & { containers: number } {
  const counts = { containers: entries.length, current: 0, drifted: 0, pinned: 0, unknown: 0 };
  for (const entry of entries) counts[entry.state]++;
  return counts;
}

export function formatDriftJson(entries: readonly DriftEntry[]): string {
  return `${JSON.stringify({ version: DRIFT_JSON_VERSION, summary: driftSummary(entries), containers: entries }, null, 2)}\n`;
}

/** `sha256:0d8f0d8f0d8f…`: enough to tell digests apart in a table (JSON has them whole). */
function short(digest: string | null): string {
  if (digest === null) return '-';
  const colon = digest.indexOf(':');
  return digest.length > colon + 13 ? `${digest.slice(0, colon + 13)}…` : digest;
}

/** `nginx@sha256:0d8f0d8f0d8f…`: the image with its digest shortened. */
function shortImage(image: string): string {
  const at = image.lastIndexOf('@');
  return at < 0 ? image : `${image.slice(0, at + 1)}${short(image.slice(at + 1))}`;
}

function stateLabel(state: DriftState, s: Style): string {
  switch (state) {
    case 'current':
      return s.green(state);
    case 'drifted':
      return s.red(s.bold(state));
    case 'pinned':
      return s.blue(state);
    case 'unknown':
      return s.yellow(state);
  }
}

export function formatDriftTable(entries: readonly DriftEntry[], color: boolean): string {
  const s = makeStyle(color);
  const header = ['NAMESPACE', 'POD', 'CONTAINER', 'IMAGE', 'STATE', 'RUNNING', 'TAG NOW'];
  const rows = entries.map((e) => [
    e.namespace,
    e.pod,
    e.container,
    shortImage(e.image),
    e.state,
    short(e.runningDigest),
    short(e.tagDigest),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[], paint: (cell: string, i: number) => string = (c) => c) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1 ? paint(cell, i) : paint(cell, i) + ' '.repeat(widths[i]! - cell.length),
      )
      .join('  ')
      .trimEnd();
  const lines = [s.dim(line(header))];
  entries.forEach((entry, n) => {
    lines.push(line(rows[n]!, (cell, i) => (i === 4 ? stateLabel(entry.state, s) : cell)));
    // A current container needs no explanation; every other state says why.
    if (entry.state !== 'current') for (const text of wrap(entry.why, 96)) lines.push(`    ${s.dim(text)}`);
  });
  const counts = driftSummary(entries);
  const parts = STATES.map((state) => `${counts[state]} ${state}`).join(', ');
  const head = counts.drifted > 0 ? s.red(s.bold('✖ drift')) : s.green('✔ no drift');
  lines.push('', `${head}: ${plural(counts.containers, 'container')} (${parts})`);
  return `${lines.join('\n')}\n`;
}
