import type { SourceLocation } from '../types.js';

/** One YAML document of a stream: its text and where that text starts in the whole input. */
export interface DocumentChunk {
  text: string;
  /** Offset of `text` in the input (UTF-16 code units). */
  offset: number;
}

/**
 * Splits a YAML stream into documents: `---` starts one, a line after `...` starts one. A marker
 * counts at the start of a line when a blank or the line's end follows. YAML 1.2 §9.1.4 forbids
 * these markers at column 0 inside any scalar (`c-forbidden`), so a line match is a real document
 * boundary: splitting here is exact, and lets a syntax error in one document leave the others
 * readable (js-yaml's loadAll stops at the first error).
 */
export function splitDocuments(text: string): DocumentChunk[] {
  const starts = [0];
  for (const marker of [...markersAt(text, '---'), ...markersAt(text, '...')].sort((a, b) => a - b)) {
    if (text.startsWith('---', marker)) {
      if (marker > 0) starts.push(marker);
    } else {
      const eol = text.indexOf('\n', marker);
      if (eol >= 0 && eol + 1 < text.length) starts.push(eol + 1);
    }
  }
  const chunks: DocumentChunk[] = [];
  let pending = -1; // start of directive-only text that belongs to the next document
  for (let i = 0; i < starts.length; i++) {
    const start = pending >= 0 ? pending : starts[i]!;
    const end = i + 1 < starts.length ? starts[i + 1]! : text.length;
    const chunkText = text.slice(start, end);
    // `%YAML 1.2` directives precede the `---` of the document they belong to.
    if (i + 1 < starts.length && isDirectivesOnly(chunkText)) {
      pending = start;
      continue;
    }
    pending = -1;
    chunks.push({ text: chunkText, offset: start });
  }
  return chunks;
}

/** Offsets of `marker` at the start of a line, followed by a blank or the end of the line (indexOf: no per-line work). */
function markersAt(text: string, marker: string): number[] {
  const found: number[] = [];
  for (let i = text.indexOf(marker); i >= 0; i = text.indexOf(marker, i + 3)) {
    if (i > 0 && text.charCodeAt(i - 1) !== 0x0a) continue;
    const next = text.charCodeAt(i + 3);
    if (i + 3 === text.length || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d)
      found.push(i);
  }
  return found;
}

/** True when the text has `%` directives and otherwise only comments and blank lines. */
function isDirectivesOnly(text: string): boolean {
  let sawDirective = false;
  for (let start = 0; start < text.length; ) {
    const eol = text.indexOf('\n', start);
    const end = eol < 0 ? text.length : eol;
    const line = text.slice(start, end).trim();
    if (line[0] === '%') sawDirective = true;
    else if (line !== '' && line[0] !== '#') return false;
    start = end + 1;
  }
  return sawDirective;
}

/** Offsets → 1-based line and column. The line table is built on first use, so inputs without findings pay nothing. */
export class LineIndex {
  private lineStarts: number[] | undefined;

  constructor(
    private readonly text: string,
    private readonly file: string | undefined,
  ) {}

  locate(offset: number): SourceLocation {
    const starts = this.lineStarts ?? this.buildLineStarts();
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return { file: this.file, line: low + 1, column: offset - starts[low]! + 1 };
  }

  private buildLineStarts(): number[] {
    const starts = [0];
    for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
    return starts;
  }
}
