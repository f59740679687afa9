/**
 * A progress bar on stderr for long runs (50 files or more). Nothing at all when stderr is not a
 * terminal, with --quiet, or for stdin (one input, no total).
 */
export interface Progress {
  tick(file: string): void;
  stop(): void;
}

const SILENT: Progress = { tick() {}, stop() {} };
/** Fewer files are done before a bar could be read: it would only flicker. */
const MIN_FILES = 50;

export async function startProgress(total: number | undefined, quiet: boolean): Promise<Progress> {
  if (quiet || !process.stderr.isTTY || total === undefined || total < MIN_FILES) return SILENT;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: 'checking {bar} {value}/{total} files  {file}',
    hideCursor: true,
    clearOnComplete: true,
    barsize: 30,
    // Redraw at most 10 times a second: a fast run is never slowed down by its own progress.
    fps: 10,
  });
  bar.start(total, 0, { file: '' });
  return {
    tick: (file) => bar.increment(1, { file }),
    stop: () => bar.stop(),
  };
}
