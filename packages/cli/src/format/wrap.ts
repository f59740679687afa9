/**
 * Greedy word wrap for terminal output. Line breaks in the text are kept; words longer than
 * `width` (digests, URLs) stay whole.
 */
export function wrap(text: string, width: number): string[] {
  // Most messages fit on one line: no splitting for them.
  if (text.length <= width && !text.includes('\n')) return [text];
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) wrapParagraph(paragraph, width, lines);
  return lines;
}

/**
 * Words are separated by single spaces, so a line — its words joined by spaces — is always the
 * slice of the paragraph from its first word to its last: the loop tracks offsets, not strings
 * (`check` wraps every finding's message).
 */
function wrapParagraph(paragraph: string, width: number, lines: string[]): void {
  let lineStart = 0;
  let lineEnd = 0;
  for (let wordStart = 0; ; ) {
    const space = paragraph.indexOf(' ', wordStart);
    const wordEnd = space < 0 ? paragraph.length : space;
    const wordLength = wordEnd - wordStart;
    const lineLength = lineEnd - lineStart;
    // A word longer than a line (a digest reference) stays on the line it starts: breaking before it would only leave a stub.
    if (lineLength > 0 && lineLength + 1 + wordLength > width && wordLength <= width) {
      lines.push(paragraph.slice(lineStart, lineEnd));
      lineStart = wordStart;
    } else if (lineLength === 0) lineStart = wordStart;
    lineEnd = wordEnd;
    if (space < 0) break;
    wordStart = space + 1;
  }
  lines.push(paragraph.slice(lineStart, lineEnd));
}
