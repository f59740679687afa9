import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTextFile, readTextStream } from './read-text.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pullguard-read-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const reason = (read: () => unknown): string => {
  try {
    read();
  } catch (error) {
    return (error as Error).message;
  }
  return 'read';
};

describe('readTextFile: a regular file as UTF-8, the size limit enforced while reading', () => {
  it('reads a regular file', async () => {
    await writeFile(join(dir, 'pod.yaml'), 'kind: Pod\nname: café\n');
    expect(readTextFile(join(dir, 'pod.yaml'), 1024)).toBe('kind: Pod\nname: café\n');
  });

  it('refuses a file larger than the limit', async () => {
    await writeFile(join(dir, 'big.yaml'), 'x'.repeat(101));
    expect(readTextFile(join(dir, 'big.yaml'), 101)).toHaveLength(101);
    expect(reason(() => readTextFile(join(dir, 'big.yaml'), 100))).toBe(
      'it is larger than the limit of 100 bytes',
    );
  });

  it('refuses a device without reading from it (/dev/zero never ends)', () => {
    expect(reason(() => readTextFile('/dev/zero', 1024))).toBe('not a regular file (a character device)');
  });

  it('refuses a FIFO at once instead of waiting for a writer', () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(reason(() => readTextFile(fifo, 1024))).toBe('not a regular file (a FIFO)');
  });

  it('says what is missing or forbidden in words', () => {
    expect(reason(() => readTextFile(join(dir, 'missing.yaml'), 1024))).toBe('no such file or directory');
    expect(reason(() => readTextFile(dir, 1024))).toBe('not a regular file (a directory)');
  });
});

describe('readTextStream: standard input, the same limit enforced while reading', () => {
  it('reads chunks, bytes or text, decoding UTF-8 split across chunks', async () => {
    const bytes = Buffer.from('name: café\n');
    async function* chunks() {
      yield* [bytes.subarray(0, 10), bytes.subarray(10), 'more\n'];
    }
    expect(await readTextStream(chunks(), 1024)).toBe('name: café\nmore\n');
  });

  it('stops reading an endless stream at the limit and lets it go', async () => {
    let released = false;
    async function* endless() {
      try {
        for (;;) yield Buffer.alloc(4096);
      } finally {
        released = true;
      }
    }
    await expect(readTextStream(endless(), 10_000)).rejects.toThrow(
      'it is larger than the limit of 10000 bytes',
    );
    expect(released).toBe(true);
  });
});
