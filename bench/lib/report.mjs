/** Renders docs/benchmarks.md from one run's results: generated, so the figures and the text never drift. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir } from './paths.mjs';
import { round } from './stats.mjs';
import { KEYS, meets, TARGETS, targetText } from './targets.mjs';

const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');

function valueText(key, r) {
  if (r?.value === null || r?.value === undefined) return `— (${r?.reason ?? 'not measured'})`;
  const unit = TARGETS[key].unit;
  return `**${round(r.value)}**${unit ? ` ${unit}` : ''}`;
}

function spreadText(r) {
  if (r?.ratio)
    return `${round(r.ratio.median)} (${round(r.ratio.min)}–${round(r.ratio.max)}), ${r.pairs} pairs`;
  if (r?.spread) return r.spread;
  return '';
}

function metText(key, r) {
  const met = meets(key, r?.value);
  return met === undefined ? (TARGETS[key].op === 'report' ? 'report' : '—') : met ? 'yes' : '**no**';
}

function sideText(r) {
  if (!r?.a || !r?.labels) return '';
  const unit = r.unit ?? '';
  const side = (label, s, n) =>
    `${label}: ${round(s.median)} ${unit} (${round(s.min)}–${round(s.max)})${n ? `, ${n} iterations/sample` : ''}`;
  return `A = ${side(r.labels[0], r.a, r.iterations?.a)}; B = ${side(r.labels[1], r.b, r.iterations?.b)}`;
}

function celSection(r) {
  const lines = ['## CEL verdict comparison', ''];
  const d = r?.details;
  if (!d) return [...lines, `Not measured: ${r?.reason ?? 'unknown'}.`, ''];
  lines.push(
    `${d.compared} objects compared (${r.input}); rules: ${d.rules.map((x) => `\`${x}\``).join(', ')}. ` +
      `Objects with at least one differing rule verdict: **${r.value}**.`,
    '',
  );
  if (d.examples.length > 0) {
    lines.push('| object | file | rules | CEL | pullguard | images |', '|---|---|---|---|---|---|');
    for (const e of d.examples.slice(0, 30)) {
      lines.push(
        `| ${cell(e.object)} | ${cell(e.file)} | ${cell(e.rules.join(', '))} | ${cell(JSON.stringify(e.cel))} | ${cell(JSON.stringify(e.pullguard))} | ${cell(e.images.join('; '))} |`,
      );
    }
    lines.push('');
  }
  if (r.naive) {
    lines.push(
      `The first-draft VAP (\`bench/peers/pull-policy.naive.vap.yaml\`: \`contains('@sha256:')\`, \`endsWith(':latest')\`, ` +
        `\`startsWith('registry/')\`, \`has(c.imagePullPolicy)\`) disagrees with pullguard on **${r.naive.objects}** of the same objects:`,
      '',
      '| verdict | objects | example images |',
      '|---|---:|---|',
    );
    for (const [rule, d] of Object.entries(r.naive.byRule)) {
      lines.push(`| \`${rule}\` | ${d.objects} | ${cell(d.examples.join(' · '))} |`);
    }
    lines.push('');
  }
  return lines;
}

function profileSection(profiles) {
  const keys = Object.keys(profiles);
  if (keys.length === 0) return [];
  const lines = [
    '## Profiles of missed targets',
    '',
    'Each missed target’s pullguard side was re-run under the V8 CPU profiler (node:inspector around the scenario after its set-up, or `--cpu-prof` for a whole CLI or server process); functions ranked by self time. The CLI is bundled (esbuild), so its functions appear in `packages/cli/dist/chunk-*.js` under their original names (`composeNode` is js-yaml’s).',
    '',
  ];
  for (const key of keys) {
    const p = profiles[key];
    lines.push(
      `### ${key}`,
      '',
      `Scenario: ${p.scenario ?? p.module} (${p.totalMs} ms of samples).`,
      '',
      '| function | where | self ms | share |',
      '|---|---|---:|---:|',
    );
    for (const f of p.top)
      lines.push(`| \`${cell(f.name)}\` | ${cell(f.where)} | ${f.selfMs} | ${f.share} % |`);
    lines.push(
      '',
      'Self time per file (per package for dependencies):',
      '',
      '| file | self ms | share |',
      '|---|---:|---:|',
    );
    for (const f of p.files) lines.push(`| ${cell(f.file)} | ${f.selfMs} | ${f.share} % |`);
    lines.push('');
  }
  return lines;
}

const NOTES = join(benchDir, 'NOTES.md');
// bench/NOTES.md sits between these in the page, so that it can be put in again without the run's figures
const NOTES_START = '<!-- bench/NOTES.md -->';
const NOTES_END = '<!-- end of bench/NOTES.md -->';

function notesBlock() {
  return existsSync(NOTES) ? [NOTES_START, '', readFileSync(NOTES, 'utf8').trim(), '', NOTES_END, ''] : [];
}

/**
 * A page rendered before with bench/NOTES.md as it is now: for `--render` when the run that made
 * the page is not at hand (the last-run file lives in the temporary directory of the machine that ran it).
 */
export function withCurrentNotes(markdown) {
  const start = markdown.indexOf(NOTES_START);
  const end = markdown.indexOf(NOTES_END);
  if (start < 0 || end < start)
    throw new Error('the page has no bench/NOTES.md markers: run the bench to render it');
  return markdown.slice(0, start) + notesBlock().join('\n') + markdown.slice(end + NOTES_END.length + 1);
}

export function renderMarkdown({ results, env, command, quick, profiles, seconds }) {
  const lines = [
    '# Benchmarks',
    '',
    '<!-- Generated by bench/run.mjs; do not edit by hand (the hand-written part is bench/NOTES.md). -->',
    '',
    'Every figure is a ratio measured in one run on a shared, noisy 2-core machine: A and B are measured',
    'in alternating samples (A B, B A, A B, …), each pair gives one ratio, and the table shows the median',
    'ratio with the min–max over the pairs. Latency and memory figures come from the same interleaved runs.',
    '',
    `Command: \`${command}\`${quick ? ' (quick mode)' : ''} — run took ${Math.round(seconds)} s.`,
    '',
    '## Results',
    '',
    '| key | measures | value | target | met? | median (min–max) of pairs |',
    '|---|---|---|---|---|---|',
  ];
  for (const key of KEYS) {
    const r = results[key];
    lines.push(
      `| \`${key}\` | ${cell(TARGETS[key].measures)} | ${cell(valueText(key, r))} | ${cell(targetText(key))} | ${metText(key, r)} | ${cell(spreadText(r))} |`,
    );
  }
  lines.push(
    '',
    '### What each pair compared',
    '',
    '| key | input | A and B (per iteration: median, min–max) |',
    '|---|---|---|',
  );
  for (const key of KEYS) {
    const r = results[key];
    if (r?.value === null || r?.value === undefined) continue;
    lines.push(`| \`${key}\` | ${cell(r.input ?? '')} | ${cell(sideText(r) || (r.note ?? ''))} |`);
  }
  lines.push('');
  const extras = Object.keys(results).filter((key) => !KEYS.includes(key) && results[key]?.value !== null);
  if (extras.length > 0) {
    lines.push(
      '### Secondary figures',
      '',
      '| figure | value | median (min–max) of pairs | input | A and B |',
      '|---|---|---|---|---|',
    );
    for (const key of extras) {
      const r = results[key];
      lines.push(
        `| ${cell(r.title ?? key)} | **${round(r.value)}** | ${cell(spreadText(r))} | ${cell(r.input ?? '')} | ${cell(sideText(r))} |`,
      );
    }
    lines.push('');
  }
  lines.push(...celSection(results.celDisagreements));
  lines.push(...profileSection(profiles));
  lines.push(...notesBlock());
  lines.push(
    '## Environment',
    '',
    `- Node ${env.node} (V8 ${env.v8}), ${env.platform}`,
    `- CPU: ${env.cpu}, ${env.cores} cores, ${env.memoryGb} GB; load average at the end ${env.loadAverage.join(', ')}`,
    `- Commit ${env.commit}, ${env.date}`,
    `- Packages: ${Object.entries(env.versions)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}`,
    '',
  );
  return lines.join('\n');
}
