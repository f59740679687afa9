import { existsSync } from 'node:fs';
import { type Diagnostic, isPullguardError, PullguardAggregateError } from '@pullguard/engine';
import { PROJECT_DIR, resolveSettings } from '../config/settings.js';
import { EXIT, type ExitCode, UsageError } from '../exit-codes.js';
import { style } from '../format/ansi.js';
import { displayPath } from '../format/check-result.js';
import { renderJunit } from '../format/xml.js';
import { emit, printDiagnostics, useColor } from '../io.js';
import { findTestFiles } from '../policy-test/find-test-files.js';
import { type FileResult, runTestFile } from '../policy-test/run-tests.js';
import { loadTestFile } from '../policy-test/test-file.js';
import type { RegistryFlags } from '../registry/flags.js';
import { createCliResolver } from '../registry/resolver.js';

export interface TestOptions extends RegistryFlags {
  format?: 'text' | 'junit';
  output?: string;
  color?: boolean;
  ruleTimeout?: number;
  /** The configuration whose `manifests` section (and ruleTimeoutMs) the tests read objects with. */
  config?: string;
  wellKnownKinds?: boolean;
}

function toDiagnostics(error: unknown): Diagnostic[] {
  if (error instanceof PullguardAggregateError) return [...error.diagnostics];
  if (isPullguardError(error)) return [error.toDiagnostic()];
  throw error;
}

function renderText(results: readonly FileResult[], unloaded: number, cwd: string, color: boolean): string {
  const s = style(color);
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${s.bold(displayPath(r.file, cwd))}${r.name === r.file ? '' : s.dim(`  ${r.name}`)}`);
    for (const c of r.cases) {
      lines.push(`  ${c.pass ? s.green('✔') : s.red('✘')} ${c.name}`);
      if (c.pass) continue;
      for (const d of c.diff) {
        const colored = d.startsWith('-')
          ? s.red(d)
          : d.startsWith('+')
            ? s.green(d)
            : d.startsWith('!')
              ? s.red(d)
              : s.dim(d);
        lines.push(`      ${colored}`);
      }
    }
  }
  const cases = results.flatMap((r) => r.cases);
  const failed = cases.filter((c) => !c.pass).length;
  const notLoaded =
    unloaded > 0
      ? ` (${unloaded} test file${unloaded === 1 ? '' : 's'} could not be loaded: see stderr)`
      : '';
  if (failed > 0) lines.push('', s.dim('- expected but not found, + found but not expected, ! load error'));
  lines.push('', `${cases.length - failed} passed, ${failed} failed${notLoaded}`);
  return `${lines.join('\n')}\n`;
}

function renderTestJunit(results: readonly FileResult[], cwd: string): string {
  return renderJunit(
    'pullguard test',
    results.map((r) => ({
      name: displayPath(r.file, cwd),
      cases: r.cases.map((c) => ({
        name: c.name,
        classname: r.name,
        file: displayPath(r.file, cwd),
        line: c.line,
        failure: c.pass
          ? undefined
          : { message: 'findings differ from expectations', type: 'mismatch', body: c.diff.join('\n') },
      })),
    })),
  );
}

/** `pullguard test [dir]`: exit 0 when every case passes, 1 when one fails, 2 when a test or policy cannot be loaded. */
export async function runPolicyTests(dir: string | undefined, options: TestOptions): Promise<ExitCode> {
  const cwd = process.cwd();
  const root = dir ?? (existsSync(PROJECT_DIR) ? PROJECT_DIR : '.');
  if (!existsSync(root)) throw new UsageError(`no such file or directory: ${root}`);
  const files = await findTestFiles(root);
  if (files.length === 0) throw new UsageError(`no policy tests (*.pullguard-test.yaml) under ${root}`);
  // Each test names its own policies; from the configuration it takes how objects are read.
  const { format: _f, output: _o, color: _c, ...flags } = options;
  const settings = await resolveSettings(flags, cwd);
  const run = {
    ruleTimeoutMs: settings.ruleTimeoutMs,
    manifests: settings.manifests,
    resolver: await createCliResolver(settings.registry),
  };
  const results: FileResult[] = [];
  const errors: Diagnostic[] = [];
  let unloaded = 0;
  for (const file of files) {
    try {
      results.push(await runTestFile(await loadTestFile(file), cwd, run));
    } catch (error) {
      unloaded++;
      errors.push(...toDiagnostics(error));
    }
  }
  printDiagnostics(errors);
  const text =
    options.format === 'junit'
      ? renderTestJunit(results, cwd)
      : renderText(
          results,
          unloaded,
          cwd,
          options.output === undefined && useColor(process.stdout, options.color),
        );
  await emit(text, options.output);
  if (errors.length > 0) return EXIT.error;
  return results.some((r) => r.cases.some((c) => !c.pass)) ? EXIT.blocking : EXIT.ok;
}
