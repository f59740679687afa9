import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { EXIT, type ExitCode, UsageError } from '../exit-codes.js';

/**
 * `pullguard playground --out DIR`: the playground page as static files, for any web server (or
 * file://). The same files `pullguard serve` serves at /playground; never overwrites without --force.
 */
export async function runPlayground(options: {
  out: string;
  force?: boolean;
  docsUrl?: string;
}): Promise<ExitCode> {
  const index = join(options.out, 'index.html');
  if (existsSync(index) && !options.force) {
    throw new UsageError(`refusing to overwrite ${index} (use --force to replace)`);
  }
  const { writePlayground } = await import('@pullguard/playground');
  const files = await writePlayground(options.out, { docsBase: options.docsUrl });
  const shown = relative(process.cwd(), options.out) || '.';
  process.stdout.write(
    `wrote the playground to ${shown}/ (${files.join(', ')})\nOpen ${join(shown, 'index.html')} or serve the folder with any web server: nothing in it calls a server.\n`,
  );
  return EXIT.ok;
}
