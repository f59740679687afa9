import { UsageError } from '../exit-codes.js';

/** `--labels env=prod,team=payments` → `{ env: 'prod', team: 'payments' }`; `--labels ''` = no labels. */
export function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = Object.create(null);
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--labels: expected key=value, got "${pair}"`);
    labels[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return labels;
}
