/**
 * cliVsParseOnly: `pullguard check` over the real corpus (a process, as users run it) / a process
 * that only reads and parses the same files with the fastest YAML parser (load/parse-only.mjs).
 * cliStartupOverheadMs: `pullguard check` on one small file minus `node -e ''`: what the CLI costs
 * before it does any work. Wall times of whole processes, interleaved.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsYaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { interleavePairs } from '../lib/interleave.mjs';
import { benchDir, benchPolicyFile, realCorpusDir, repoRoot } from '../lib/paths.mjs';
import { requireCli, Unavailable } from '../lib/pullguard.mjs';
import { realCorpusFiles } from '../lib/real-corpus.mjs';
import { median, summarize } from '../lib/stats.mjs';

export const keys = ['cliVsParseOnly', 'cliStartupOverheadMs'];

const SMALL_FILE = join(
  realCorpusDir,
  'kubernetes__website__content__en__examples__application__deployment-sidecar.yaml',
);

/** Wall time of one process run, ms; throws when it crashed (exit codes 0–2 are pullguard's answers). */
function timeProcess(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status === null || result.status > 2) {
    throw new Unavailable(
      `\`node ${args.join(' ')}\` failed (${result.signal ?? result.status}): ${result.stderr.slice(0, 400)}`,
    );
  }
  return ms;
}

/**
 * js-yaml or yaml, whichever parses the corpus faster here (measured, not assumed): three
 * alternating timed passes each over the corpus's YAML files, after one warm-up pass.
 */
function fastestParser(quick) {
  const texts = realCorpusFiles()
    .filter((f, i) => !f.endsWith('.json') && (!quick || i % 4 === 0)) // quick: a quarter of the files
    .map((f) => readFileSync(f, 'utf8'));
  const pass = (parse) => {
    const started = performance.now();
    for (const text of texts) {
      try {
        parse(text);
      } catch {
        // the unrendered template
      }
    }
    return performance.now() - started;
  };
  const parsers = {
    'js-yaml': (t) => jsYaml.loadAll(t),
    yaml: (t) => parseAllDocuments(t, { logLevel: 'error' }).map((d) => d.toJS({ logLevel: 'error' })),
  };
  const times = { 'js-yaml': [], yaml: [] };
  for (let round = 0; round < 4; round++) {
    for (const [name, parse] of Object.entries(parsers)) {
      const ms = pass(parse);
      if (round > 0) times[name].push(ms);
    }
  }
  const jsYamlMs = median(times['js-yaml']);
  const yamlMs = median(times.yaml);
  return { parser: jsYamlMs <= yamlMs ? 'js-yaml' : 'yaml', jsYamlVsYaml: jsYamlMs / yamlMs };
}

export async function run(ctx) {
  const bin = requireCli();
  const check = ['check', '--policy', benchPolicyFile];
  const startup = await interleavePairs({
    pairs: ctx.quick ? 5 : 15,
    deadline: ctx.timing.deadline,
    measureA: () => timeProcess([bin, ...check, SMALL_FILE]),
    measureB: () => timeProcess(['-e', '']),
  });
  const differences = startup.a.values.map((a, i) => a - startup.b.values[i]);
  const overhead = summarize(differences);
  const first = {
    cliStartupOverheadMs: {
      value: overhead.median,
      spread: `${Math.round(overhead.median)} ms (${Math.round(overhead.min)}–${Math.round(overhead.max)}), ${startup.pairs} pairs`,
      a: startup.a,
      b: startup.b,
      unit: 'ms/process',
      labels: ['pullguard check one small file', "node -e ''"],
      input: 'kubernetes/website deployment-sidecar.yaml (1 Deployment)',
    },
  };
  ctx.report?.(first);

  const { parser, jsYamlVsYaml } = fastestParser(ctx.quick);
  ctx.log(`  fastest YAML parser: ${parser} (js-yaml / yaml time = ${jsYamlVsYaml.toFixed(2)})`);

  const corpus = await interleavePairs({
    pairs: ctx.timing.pairs,
    deadline: ctx.timing.deadline,
    measureA: () => timeProcess([bin, ...check, realCorpusDir]),
    measureB: () => timeProcess([join(benchDir, 'load', 'parse-only.mjs'), parser, realCorpusDir]),
  });

  return {
    ...first,
    cliVsParseOnly: {
      ...corpus,
      unit: 'ms/process',
      labels: ['pullguard check (process)', `read + parse with ${parser} (process)`],
      input: `${realCorpusFiles().length} real-corpus files`,
      details: { parser, jsYamlVsYaml },
    },
  };
}

/** Runs `pullguard check` (corpus, then one small file) under --cpu-prof; those processes' profiles matter. */
export async function profile(ctx) {
  const bin = requireCli();
  const profiled = (target) =>
    spawnSync(
      process.execPath,
      ['--cpu-prof', `--cpu-prof-dir=${ctx.profileDir}`, bin, 'check', '--policy', benchPolicyFile, target],
      { cwd: repoRoot, stdio: 'ignore' },
    ).pid;
  return {
    cliVsParseOnly: {
      value: 1,
      pid: profiled(realCorpusDir),
      scenario: '`pullguard check --policy bench/policies/bench-policy.yaml ../shared/corpus/real`',
    },
    cliStartupOverheadMs: {
      value: 1,
      pid: profiled(SMALL_FILE),
      scenario: '`pullguard check --policy bench/policies/bench-policy.yaml <one small Deployment file>`',
    },
  };
}
