import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_BASELINE, PROJECT_DIR } from '../config/settings.js';
import { EXIT, type ExitCode, UsageError } from '../exit-codes.js';

const template = (name: string) => fileURLToPath(new URL(`../../templates/${name}`, import.meta.url));

/** What `init` writes, relative to `.pullguard/`, and where each file comes from. */
const FILES: readonly { target: string; source: string }[] = [
  { target: 'config.yaml', source: template('config.yaml') },
  { target: 'policies/baseline.yaml', source: BUNDLED_BASELINE },
  { target: 'tests/baseline.pullguard-test.yaml', source: template('baseline.pullguard-test.yaml') },
];

/** `pullguard init`: a starter `.pullguard/`; never overwrites without --force. */
export async function runInit(options: { force?: boolean; dir: string }): Promise<ExitCode> {
  const root = join(options.dir, PROJECT_DIR);
  const targets = FILES.map((f) => ({ ...f, path: join(root, f.target) }));
  const existing = targets.filter((t) => existsSync(t.path)).map((t) => t.path);
  if (existing.length > 0 && !options.force) {
    throw new UsageError(`refusing to overwrite ${existing.join(', ')} (use --force to replace)`);
  }
  for (const t of targets) {
    await mkdir(dirname(t.path), { recursive: true });
    await copyFile(t.source, t.path);
    process.stdout.write(`wrote ${relative(process.cwd(), t.path) || t.path}\n`);
  }
  const policy = relative(process.cwd(), join(root, 'policies/baseline.yaml'));
  process.stdout.write(
    `\nNext: edit ${policy}, then\n  pullguard test         # the policy tests pass\n  pullguard check k8s/   # check your manifests\n`,
  );
  return EXIT.ok;
}
