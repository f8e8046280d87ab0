/**
 * Terminal-cell text helpers for the dashboard panels. Widths count code points, which is
 * right for everything the panels print (ASCII, box drawing, the plugin's icons, block
 * elements): none of them is double-width.
 */

/** Width in cells, ignoring ANSI colour sequences. */
export function cellWidth(text: string): number {
  return [...stripAnsi(text)].length;
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[\d;]*m/g, '');
}

/** `text` cut to `width` cells, ending in "…" when something was cut. Plain text only. */
export function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 0) return '';
  return chars.slice(0, width - 1).join('') + '…';
}

/**
 * `text` broken into lines of at most `width` cells at spaces. A word longer than a line is
 * split hard, unless it carries colour (splitting inside an escape would garble it): such a
 * word gets a line of its own and the panel clips it.
 */
export function wrapText(text: string, width: number): string[] {
  if (width <= 0) return [];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (cellWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    let rest = [...word];
    if (word === stripAnsi(word)) {
      while (rest.length > width) {
        lines.push(rest.slice(0, width).join(''));
        rest = rest.slice(width);
      }
    }
    line = rest.join('');
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * A `label: value` line whose value starts at column `indent`, wrapped so continuation lines
 * start under the value — the way the plugin's summary lists a second image. Lines that fit,
 * and lines too narrow to wrap usefully, are returned as they are.
 *
 * Worked example (width 34, indent 17):
 *   "Message:         CanaryPauseStep waiting" → ["Message:         CanaryPauseStep", "                 waiting"]
 */
export function hangingWrap(line: string, width: number, indent: number): string[] {
  if (cellWidth(line) <= width || width - indent < 10) return [line];
  const [first = '', ...rest] = wrapText(line.slice(indent), width - indent);
  return [line.slice(0, indent) + first, ...rest.map((l) => ' '.repeat(indent) + l)];
}
