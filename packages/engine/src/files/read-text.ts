/**
 * Reading what users give pullguard — manifest files, standard input, policy files — as UTF-8
 * text, bounded: the size limit is enforced while reading, so `/dev/zero` or an endless pipe cannot
 * exhaust memory, and a FIFO or device is refused before it is read, so it cannot block forever.
 * Failures throw a FileReadError whose message says why in words (callers prefix the path and
 * their error code).
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import type { Diagnostic } from '../errors.js';

/** Why a file could not be read, in words (`no such file or directory`, `not a regular file (a FIFO)`). */
export class FileReadError extends Error {
  override readonly name = 'FileReadError';
}

// O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. It changes nothing for
// regular files (POSIX open(2)); the file type is then checked on the open descriptor, so what is
// read is what was checked.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Unknown size (procfs files say 0): read in chunks of this many bytes. */
const CHUNK_BYTES = 64 * 1024;

/**
 * A regular file's text. Reads synchronously: fs/promises' readFile makes four thread-pool round
 * trips (open, fstat, read, close) per file, each waiting for the event loop, which for many small
 * manifests cost more than the reads (bench cliVsParseOnly); these are four direct calls.
 */
export function readTextFile(path: string, maxBytes: number): string {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    throw new FileReadError(describeFileError(error));
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileReadError(`not a regular file (${describeFileType(stats)})`);
    if (stats.size > maxBytes) throw tooLarge(maxBytes);
    return readAll(fd, stats.size, maxBytes).toString('utf8');
  } catch (error) {
    throw error instanceof FileReadError ? error : new FileReadError(describeFileError(error));
  } finally {
    closeSync(fd);
  }
}

/** Reads `size` bytes (what fstat said), or until the end when the size is unknown (0); never more than `maxBytes`. */
function readAll(fd: number, size: number, maxBytes: number): Buffer {
  let buffer = Buffer.allocUnsafe(size > 0 ? size : Math.min(CHUNK_BYTES, maxBytes + 1));
  let length = 0;
  for (;;) {
    if (length === buffer.length) {
      if (size > 0) return buffer;
      if (length > maxBytes) throw tooLarge(maxBytes);
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
      buffer.copy(grown, 0, 0, length);
      buffer = grown;
    }
    const read = readSync(fd, buffer, length, buffer.length - length, null);
    if (read === 0) return buffer.subarray(0, length);
    length += read;
  }
}

/**
 * A stream's text (standard input), decoded as UTF-8 across chunk boundaries. Stops reading, and
 * releases the stream, as soon as it has more than `maxBytes`.
 */
export async function readTextStream(
  stream: AsyncIterable<string | Uint8Array>,
  maxBytes: number,
): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let bytes = 0;
  try {
    for await (const chunk of stream) {
      bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      // Leaving the loop calls the iterator's return(): a Readable is destroyed, a generator closed.
      if (bytes > maxBytes) throw tooLarge(maxBytes);
      text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    }
  } catch (error) {
    throw error instanceof FileReadError ? error : new FileReadError(describeFileError(error));
  }
  return text + decoder.decode();
}

/** The diagnostic for a path that cannot be read: `cannot read PATH: reason`, located at the path. */
export function readFailure(
  code: 'INPUT_READ_FAILED' | 'POLICY_READ_FAILED',
  path: string,
  reason: string,
): Diagnostic {
  return {
    code,
    message: `cannot read ${path}: ${reason}`,
    location: { file: path, line: 1, column: 1 },
    severity: 'error',
  };
}

function tooLarge(maxBytes: number): FileReadError {
  return new FileReadError(`it is larger than the limit of ${maxBytes} bytes`);
}

/** What a file system error means, in words; other errors by their message. */
export function describeFileError(error: unknown): string {
  switch ((error as { code?: unknown } | null)?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ELOOP':
      return 'a symbolic link loop';
    case 'ENOTDIR':
      return 'a path component is not a directory';
    case 'EISDIR':
      return 'not a regular file (a directory)';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** `a FIFO`, `a character device`, …: what a non-regular file is (from its Stats or Dirent). */
export function describeFileType(
  stats: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>,
): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}
