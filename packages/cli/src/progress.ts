/**
 * Progress on stderr for long runs: files checked so far and the current file (files stream in,
 * so there is no total to draw a bar against). Nothing at all when stderr is not a terminal.
 */
export interface Progress {
  tick(file: string): void;
  stop(): void;
}

const SILENT: Progress = { tick() {}, stop() {} };

export async function startProgress(quiet: boolean): Promise<Progress> {
  if (quiet || !process.stderr.isTTY) return SILENT;
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: 'checking… {value} files  {file}',
    hideCursor: true,
    clearOnComplete: true,
    // Redraw at most 10 times a second: a fast run is never slowed down by its own progress.
    fps: 10,
  });
  bar.start(0, 0, { file: '' });
  return {
    tick: (file) => bar.increment(1, { file }),
    stop: () => bar.stop(),
  };
}
