import { EventEmitter } from 'node:events';
import type { FSWatcher } from 'node:fs';
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import type { Timers } from '../timers.js';
import { contentHash } from './content-hash.js';
import { type WatchDirectory, watchFiles } from './watch-files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pg-watch-unit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Timers the test runs by hand: nothing fires until it says so, and nothing sleeps. */
function manualTimers() {
  const intervals = new Map<number, () => void>();
  let next = 0;
  const timers: Timers = {
    setTimeout: (callback) => {
      queueMicrotask(callback); // debounce: at once
      return 0;
    },
    clearTimeout: () => undefined,
    setInterval: (callback) => {
      intervals.set(++next, callback);
      return next;
    },
    clearInterval: (handle) => void intervals.delete(handle as number),
  };
  const tick = () => {
    for (const callback of intervals.values()) callback();
  };
  return { timers, tick, intervals };
}

/** Watcher options for `dir`, with nothing happening unless the test says so. */
function quiet(timers: Timers, watchDirectory: WatchDirectory) {
  return { debounceMs: 10, intervalMs: 60_000, logger: silentLogger(), cwd: dir, timers, watchDirectory };
}

/** A watch that never reports anything, and records which directories it was asked for. */
function deafWatches() {
  const watched: string[] = [];
  const watchDirectory: WatchDirectory = (path) => {
    watched.push(path);
    return Object.assign(new EventEmitter(), { close: () => undefined }) as unknown as FSWatcher;
  };
  return { watched, watchDirectory };
}

describe('watchFiles, when file events are lost', () => {
  it('finds a changed file by content at the next periodic check, and only then', async () => {
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies', 'a.yaml'), 'one');
    const { timers, tick } = manualTimers();
    const { watchDirectory } = deafWatches();
    let changes = 0;
    const watcher = watchFiles(['policies'], () => changes++, quiet(timers, watchDirectory));
    await watcher.ready;
    expect(await watcher.check()).toBe(false);
    writeFileSync(join(dir, 'policies', 'a.yaml'), 'two');
    expect(changes).toBe(0); // no event arrives
    expect(await watcher.check()).toBe(true);
    expect(changes).toBe(1);
    expect(await watcher.check()).toBe(false); // reported once
    // A touch changes no content: nothing to reload without an event.
    utimesSync(join(dir, 'policies', 'a.yaml'), new Date(), new Date(Date.now() + 9000));
    expect(await watcher.check()).toBe(false);
    // The interval runs the same check.
    writeFileSync(join(dir, 'policies', 'b.yaml'), 'new');
    tick();
    await new Promise((r) => setTimeout(r, 50));
    await watcher.check();
    expect(changes).toBe(2);
    watcher.close();
  });

  it('watches a replaced directory again (a new inode at the same path)', async () => {
    mkdirSync(join(dir, 'policies'));
    const { timers } = manualTimers();
    const { watched, watchDirectory } = deafWatches();
    const watcher = watchFiles(['policies'], () => undefined, quiet(timers, watchDirectory));
    await watcher.ready;
    expect(watched.sort()).toEqual([dir, join(dir, 'policies')].sort());
    rmSync(join(dir, 'policies'), { recursive: true });
    mkdirSync(join(dir, 'policies'));
    mkdirSync(join(dir, 'policies', 'team'));
    await watcher.check();
    expect(watched.filter((d) => d === join(dir, 'policies'))).toHaveLength(2);
    expect(watched).toContain(join(dir, 'policies', 'team'));
    watcher.close();
  });

  it('stops its periodic check when closed', async () => {
    const { timers, intervals } = manualTimers();
    const watcher = watchFiles([join(dir, 'missing.yaml')], () => undefined, {
      debounceMs: 10,
      intervalMs: 1000,
      logger: silentLogger(),
      timers,
      watchDirectory: deafWatches().watchDirectory,
    });
    expect(intervals.size).toBe(1);
    watcher.close();
    expect(intervals.size).toBe(0);
  });
});

describe('contentHash', () => {
  it('changes with any file content below a directory, follows links, and ignores dot-files', async () => {
    mkdirSync(join(dir, 'p', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'p', 'sub', 'a.yaml'), 'a');
    const first = await contentHash([join(dir, 'p')]);
    expect(await contentHash([join(dir, 'p')])).toBe(first);
    writeFileSync(join(dir, 'p', '.a.yaml.swp'), 'editor state');
    expect(await contentHash([join(dir, 'p')])).toBe(first);
    writeFileSync(join(dir, 'p', 'sub', 'a.yaml'), 'b');
    expect(await contentHash([join(dir, 'p')])).not.toBe(first);
    renameSync(join(dir, 'p', 'sub'), join(dir, 'p', 'moved'));
    expect(await contentHash([join(dir, 'p')])).not.toBe(first);
    expect(await contentHash([join(dir, 'missing')])).not.toBe(await contentHash([join(dir, 'p')]));
  });
});
