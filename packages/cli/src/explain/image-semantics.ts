import type { ImageExplanation } from '@pullguard/engine';
import { wrap } from '../format/wrap.js';

/** `pullguard explain image` as text: the engine's explanation (explainImage), wrapped for a terminal. */
export function renderImageExplanation(e: ImageExplanation): string {
  const r = e.reference;
  const lines = [
    `image      ${e.input}`,
    `canonical  ${e.canonical}`,
    `familiar   ${e.familiar}`,
    `registry   ${r.domain}`,
    `repository ${r.path}`,
    `tag        ${r.tag ?? (r.digest === undefined ? '(none: latest is implied)' : '(none)')}`,
    `digest     ${r.digest ?? '(none: the reference is mutable)'}`,
    '',
    ...wrap(`Default imagePullPolicy: ${e.default.policy} — ${e.default.reason}.`, 98),
    '',
  ];
  for (const p of e.policies) {
    lines.push(`${p.policy}${p.policy === e.default.policy ? ' (the default)' : ''}: pulls ${p.pulls}.`);
    lines.push(...wrap(p.meaning, 96).map((l) => `  ${l}`));
  }
  lines.push('', ...wrap(`Recommendation: ${e.recommendation}`, 98));
  return `${lines.join('\n')}\n`;
}
