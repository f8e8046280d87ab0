/**
 * Go's text/tabwriter (elastic tabstops) as the Argo Rollouts plugin configures it —
 * `NewTabWriter(out, minwidth 0, tabwidth 0, padding 2, padchar ' ', flags 0)` — turned into
 * a pure function from tab-separated text to aligned text.
 *
 * The rules that matter, and that differ from "split on tabs and pad every column":
 * - A cell is text terminated by `\t`. The text after a line's last tab is not part of any
 *   column: it is written as is, and it never widens a column.
 * - A column is a *block* of consecutive lines that all have a cell in that column. A line
 *   with fewer cells ends the block, and the next block is sized on its own.
 *   With `|` for a tab: in `aaaa|bbb|d`, `aa|b|dd`, `a|`, `aa|cccc|eee` the b cells and the
 *   cccc cell are in different columns (the line `a|` interrupts them).
 * - Width = the widest cell in the block plus `padding`, at least `minwidth`.
 * - Widths count Unicode code points and ignore ANSI colour sequences, as the plugin's
 *   ansiterm writer does, so `✔`, `⧉` and a coloured `✔` are all one column wide.
 *
 * Deliberate difference from Go: trailing spaces are trimmed from every output line. They are
 * invisible, the plugin's own tests strip them, and the blog's output has none.
 */
export interface TabwriterOptions {
  /** Minimal cell width including padding. Go's default for the plugin: 0. */
  minwidth?: number;
  /** Spaces added to the widest cell of a column block. The plugin uses 2. */
  padding?: number;
}

interface Cell {
  text: string;
  width: number;
}

/** Lay out `text` (cells ended by `\t`, lines ended by `\n`) the way Go's tabwriter would. */
export function tabwriter(text: string, options: TabwriterOptions = {}): string {
  const minwidth = options.minwidth ?? 0;
  const padding = options.padding ?? 2;
  const lines = splitCells(text);
  const out: string[] = [];
  formatBlock(lines, 0, lines.length, [], { minwidth, padding }, out);
  return out.map((line) => line.replace(/ +$/, '')).join('\n');
}

/** Width of a cell as a terminal shows it: code points, colour escapes excluded. */
export function displayWidth(s: string): number {
  let n = 0;
  for (const _ of s.replace(ANSI_SEQUENCE, '')) n++;
  return n;
}

// CSI sequences (colours, cursor moves) take no room on screen; they start with ESC.
// eslint-disable-next-line no-control-regex -- ESC is part of the pattern
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]/g;

function splitCells(text: string): Cell[][] {
  const rawLines = text.split('\n');
  return rawLines.map((raw, i) => {
    const parts = raw.split('\t');
    const isLast = i === rawLines.length - 1;
    // Go only records the text after the last tab when there is some, or when a newline
    // ends the line; an unterminated final line "a\t" has one cell, not two.
    if (isLast && parts[parts.length - 1] === '') parts.pop();
    return parts.map((p) => ({ text: p, width: displayWidth(p) }));
  });
}

/**
 * Writes lines [line0, line1) whose columns left of `widths.length` are already sized;
 * sizes the next column block by block and recurses into it (Go's `format`).
 */
function formatBlock(
  lines: Cell[][],
  line0: number,
  line1: number,
  widths: number[],
  opts: { minwidth: number; padding: number },
  out: string[],
): void {
  const column = widths.length;
  let start = line0;
  let i = line0;
  while (i < line1) {
    if (columnCount(lines[i]) <= column) {
      i++;
      continue;
    }
    // Lines before this block only have cells in the columns we already know.
    writeLines(lines, start, i, widths, out);
    let width = opts.minwidth;
    let end = i;
    while (end < line1 && columnCount(lines[end]) > column) {
      const cell = lines[end]?.[column];
      if (cell) width = Math.max(width, cell.width + opts.padding);
      end++;
    }
    formatBlock(lines, i, end, [...widths, width], opts, out);
    start = end;
    i = end;
  }
  writeLines(lines, start, line1, widths, out);
}

/** Cells that belong to columns: all but the last one of the line. */
function columnCount(line: Cell[] | undefined): number {
  return line ? line.length - 1 : 0;
}

function writeLines(lines: Cell[][], from: number, to: number, widths: number[], out: string[]): void {
  for (let i = from; i < to; i++) {
    const line = lines[i] ?? [];
    let s = '';
    line.forEach((cell, j) => {
      s += cell.text;
      const w = widths[j];
      if (j < line.length - 1 && w !== undefined) s += ' '.repeat(Math.max(0, w - cell.width));
    });
    out.push(s);
  }
}
