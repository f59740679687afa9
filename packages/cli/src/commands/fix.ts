import { readFile, writeFile } from 'node:fs/promises';
import {
  type Diagnostic,
  type ImageFix,
  loadManifestFiles,
  loadManifests,
  type PullPolicyFix,
} from '@pullguard/engine';
import {
  createRegistryLookups,
  mergeFixes,
  type RegistryLookups,
  reportVerdict,
} from '@pullguard/engine/internals';
import { createTwoFilesPatch } from 'diff';
import { type PolicyFlags, resolveSettings, type Settings } from '../config/settings.js';
import { setUpEngine } from '../engine-setup.js';
import { EXIT, type ExitCode, exitCodeForRun, UsageError } from '../exit-codes.js';
import { applyFixes } from '../fix/edit-manifest.js';
import { pinsFor } from '../fix/pin-digests.js';
import { displayPath } from '../format/check-result.js';
import { plural } from '../format/table.js';
import { printDiagnostics } from '../io.js';
import { createCliResolver } from '../registry/resolver.js';

export interface FixOptions extends PolicyFlags {
  write?: boolean;
  diff?: boolean;
  pinDigests?: boolean;
}

const isPullPolicyFix = (fix: ImageFix): fix is PullPolicyFix =>
  fix.field === 'imagePullPolicy' || fix.field === 'pullPolicy';

/**
 * `pullguard fix (--write | --diff) [--pin-digests] paths…`: writes into the source files the
 * explicit imagePullPolicy rules ask for and, with --pin-digests, every unpinned image pinned to the
 * digest its tag names now. A file with an image that cannot be pinned is left as it is (exit 2).
 */
export async function runFix(paths: string[], options: FixOptions): Promise<ExitCode> {
  if (options.write === options.diff) {
    throw new UsageError(
      options.write
        ? 'give --write or --diff, not both'
        : 'give --write (change the files) or --diff (print a diff)',
    );
  }
  if (paths.length === 0) throw new UsageError('give the files or directories to fix');
  if (paths.includes('-')) throw new UsageError('fix edits files in place: stdin (-) is not supported');
  const cwd = process.cwd();
  const settings = await resolveSettings(options, cwd);
  if (options.pinDigests && settings.registry.offline) {
    throw new UsageError(
      '--pin-digests asks registries for digests: it cannot run with --offline (or PULLGUARD_OFFLINE=true)',
    );
  }
  // Pull-policy fixes need no registry; pins are looked up below, for every image alike.
  const { engine } = await setUpEngine(settings, cwd, { resolver: undefined });
  const lookups = options.pinDigests ? await registryLookups(settings) : undefined;
  const errors: Diagnostic[] = [];
  const unpinnable: Diagnostic[] = [];
  let changedFiles = 0;
  let fields = 0;
  let pinned = 0;
  for await (let loaded of loadManifestFiles(paths, settings.manifests)) {
    const file = loaded.file;
    // The loader keeps no text (memory stays flat): it is read again, only for files that change.
    let text: string | undefined;
    let fixed: string | undefined;
    if (lookups !== undefined && file !== undefined) {
      const pins = await pinsFor(loaded, lookups);
      for (const note of pins.notes) process.stderr.write(`${note}\n`);
      if (pins.failures.length > 0) {
        errors.push(...loaded.errors);
        unpinnable.push(...pins.failures);
        continue;
      }
      if (pins.fixes.length > 0) {
        text = await readFile(file, 'utf8');
        const outcome = applyFixes(text, pins.fixes);
        reportSkipped(file, cwd, outcome.skipped);
        fixed = outcome.text;
        pinned += outcome.applied.length;
        // Pull-policy rules judge the images as pinned (a digest needs no `Always`).
        loaded = loadManifests(fixed, { ...settings.manifests, file });
      }
    }
    const report = await engine.evaluateLoaded(loaded, { namespace: settings.namespace });
    errors.push(...report.errors);
    // One value per field (Always wins); findings under an active exemption are left alone.
    const fixes = mergeFixes(report.findings).filter(isPullPolicyFix);
    if (fixes.length > 0 && file !== undefined) {
      text ??= await readFile(file, 'utf8');
      const outcome = applyFixes(fixed ?? text, fixes);
      reportSkipped(file, cwd, outcome.skipped);
      fixed = outcome.text;
      fields += outcome.applied.length;
    }
    if (file === undefined || text === undefined || fixed === undefined || fixed === text) continue;
    changedFiles++;
    if (options.diff) {
      const name = displayPath(file, cwd);
      process.stdout.write(createTwoFilesPatch(`a/${name}`, `b/${name}`, text, fixed));
    } else {
      await writeFile(file, fixed);
    }
  }
  printDiagnostics(errors);
  printDiagnostics(unpinnable);
  const done = [
    ...(options.pinDigests ? [`pin ${plural(pinned, 'image')}`] : []),
    `set ${plural(fields, 'field')}`,
  ].join(' and ');
  process.stderr.write(`${options.diff ? 'would ' : ''}${done} in ${plural(changedFiles, 'file')}\n`);
  if (unpinnable.length > 0) return EXIT.error;
  return exitCodeForRun({ verdict: reportVerdict([], errors), blocking: 0 });
}

async function registryLookups(settings: Settings): Promise<RegistryLookups> {
  const resolver = await createCliResolver(settings.registry);
  if (resolver === undefined) throw new UsageError('--pin-digests needs registry access');
  return createRegistryLookups(resolver);
}

function reportSkipped(
  file: string,
  cwd: string,
  skipped: readonly { fix: ImageFix; reason: string }[],
): void {
  for (const { fix, reason } of skipped) {
    process.stderr.write(`${displayPath(file, cwd)}: cannot fix ${fix.pointer}: ${reason}\n`);
  }
}
