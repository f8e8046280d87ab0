/** Start and end byte offsets of a token or node in the query text (end exclusive). */
export interface PositionRange {
  readonly start: number;
  readonly end: number;
}

/**
 * `line:col` of a byte offset, both 1-based, the way Prometheus's `posrange.StartPosInput` counts:
 * lines split at `\n`, the column is the byte distance from the previous newline.
 */
export function lineCol(query: string, bytePos: number): { line: number; col: number } {
  const bytes = utf8(query);
  const pos = Math.max(0, Math.min(bytePos, bytes.length));
  let line = 1;
  let lastBreak = -1;
  for (let i = 0; i < pos; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lastBreak = i;
    }
  }
  return { line, col: pos - lastBreak };
}

/** `line:col` text of a position, for messages. */
export function startPosInput(query: string, bytePos: number): string {
  if (query === '') return 'unknown position';
  const { line, col } = lineCol(query, bytePos);
  return `${line}:${col}`;
}

const encoder = new TextEncoder();

function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * Maps UTF-16 indexes of `s` to UTF-8 byte offsets. For pure-ASCII text the identity is returned
 * without allocating.
 */
export function byteOffsets(s: string): (i: number) => number {
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(s)) return (i) => i;
  const table = new Int32Array(s.length + 1);
  let b = 0;
  for (let i = 0; i < s.length; i++) {
    table[i] = b;
    const c = s.charCodeAt(i);
    if (c < 0x80) b += 1;
    else if (c < 0x800) b += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      // A surrogate pair is one 4-byte code point; the low half sits at the same byte offset + 4.
      b += 4;
      i++;
      if (i < s.length) table[i] = b - 4;
    } else b += 3;
  }
  table[s.length] = b;
  return (i) => table[Math.max(0, Math.min(i, s.length))]!;
}

/**
 * The index in the JavaScript string `query` (UTF-16 code units) of a byte position, for callers
 * that map a position into the text the query came from (a YAML file): Prometheus's positions
 * count UTF-8 bytes, so non-ASCII text before an error would otherwise push it to the right.
 */
export function charIndex(query: string, bytePos: number): number {
  let bytes = 0;
  let i = 0;
  while (i < query.length && bytes < bytePos) {
    const c = query.codePointAt(i)!;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    i += c >= 0x10000 ? 2 : 1;
  }
  return i;
}
