/**
 * 1-based line and column of a UTF-16 offset in `source`. Columns count code points, as expr-lang
 * counts runes, so `(1:11)` means the same character in our messages and in Argo's.
 */
export function lineCol(source: string, offset: number): { line: number; col: number } {
  let line = 1;
  let col = 1;
  let i = 0;
  while (i < offset && i < source.length) {
    const cp = source.codePointAt(i) ?? 0;
    if (cp === 0x0a) {
      line++;
      col = 1;
    } else {
      col++;
    }
    i += cp > 0xffff ? 2 : 1;
  }
  return { line, col };
}
