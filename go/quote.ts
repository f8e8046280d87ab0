/**
 * Go's `strconv.Quote` / `%q`, shared by everything that reproduces Go programs' text: PromQL's
 * error messages and printer, expr-lang's token values (`Operator(">")`), strconv's errors
 * (`parsing "1.1": invalid syntax`). Lone surrogates 0xDC80–0xDCFF stand for the invalid UTF-8
 * bytes 0x80–0xFF of the original text and print as `\xNN`, as Go prints invalid bytes.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (cp >= 0xdc80 && cp <= 0xdcff) out += `\\x${(cp - 0xdc00).toString(16)}`;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (!isPrintable(ch)) out += cp > 0xffff ? `\\U${hex(cp, 8)}` : `\\u${hex(cp, 4)}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's `%#U`: `U+0040 '@'` (the character only when printable). */
export function goRuneU(cp: number): string {
  const ch = String.fromCodePoint(cp);
  const code = `U+${hex(cp, 4).toUpperCase()}`;
  return isPrintable(ch) ? `${code} '${ch}'` : code;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

// Close to strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
function isPrintable(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}
