/**
 * Progress on stderr for long runs: a bar when the number of files is known (stdin is not), a
 * counter otherwise. Nothing at all when stderr is not a terminal or with --quiet.
 */
export interface Progress {
  tick(file: string): void;
  stop(): void;
}

const SILENT: Progress = { tick() {}, stop() {} };

export async function startProgress(total: number | undefined, quiet: boolean): Promise<Progress> {
  if (quiet || !process.stderr.isTTY) return SILENT;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format:
      total === undefined
        ? 'checking… {value} files  {file}'
        : 'checking {bar} {value}/{total} files  {file}',
    hideCursor: true,
    clearOnComplete: true,
    barsize: 30,
    // Redraw at most 10 times a second: a fast run is never slowed down by its own progress.
    fps: 10,
  });
  bar.start(total ?? 0, 0, { file: '' });
  return {
    tick: (file) => bar.increment(1, { file }),
    stop: () => bar.stop(),
  };
}
