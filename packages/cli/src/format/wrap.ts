/**
 * Greedy word wrap for terminal output. Line breaks in the text are kept; words longer than
 * `width` (digests, URLs) stay whole.
 */
export function wrap(text: string, width: number): string[] {
  // Most messages fit on one line: no splitting and joining for them.
  if (text.length <= width && !text.includes('\n')) return [text];
  return text.split('\n').flatMap((paragraph) => {
    const lines: string[] = [];
    let line = '';
    for (const word of paragraph.split(' ')) {
      // A word longer than a line (a digest reference) stays on the line it starts: breaking before it would only leave a stub.
      if (line !== '' && line.length + 1 + word.length > width && word.length <= width) {
        lines.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    return [...lines, line];
  });
}
