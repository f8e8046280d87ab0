/**
 * Prometheus's `strutil.Unquote`: `"…"` and `'…'` with Go escapes (`\a \b \f \n \r \t \v \\`,
 * the enclosing quote, octal `\nnn`, `\xNN`, `\uNNNN`, `\UNNNNNNNN`), or a raw `` `…` `` string.
 * Throws `Error('invalid syntax')` on anything else.
 */
export function unquoteString(s: string): string {
  const q = s[0];
  if (s.length < 2 || s[s.length - 1] !== q) throw new Error('invalid syntax');
  const body = s.slice(1, -1);
  if (q === '`') {
    if (body.includes('`')) throw new Error('invalid syntax');
    return body;
  }
  if (q !== '"' && q !== "'") throw new Error('invalid syntax');
  if (!body.includes('\\')) {
    if (body.includes(q) || body.includes('\n')) throw new Error('invalid syntax');
    return body;
  }
  let out = '';
  // \xNN and \NNN are raw bytes in Go; consecutive ones are decoded together as UTF-8.
  let bytes: number[] = [];
  const flush = (): void => {
    if (bytes.length > 0) out += decodeBytes(bytes);
    bytes = [];
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === q || c === '\n') throw new Error('invalid syntax');
    if (c !== '\\') {
      flush();
      out += c;
      continue;
    }
    i++;
    const e = body[i];
    if (e !== 'x' && !(e !== undefined && e >= '0' && e <= '7')) flush();
    switch (e) {
      case 'a':
        out += '\x07';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'v':
        out += '\v';
        break;
      case '\\':
        out += '\\';
        break;
      case '"':
      case "'":
        if (e !== q) throw new Error('invalid syntax');
        out += e;
        break;
      case 'x':
      case 'u':
      case 'U': {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = body.slice(i + 1, i + 1 + n);
        if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error('invalid syntax');
        const cp = parseInt(hex, 16);
        if (e === 'x') {
          bytes.push(cp);
          i += n;
          break;
        }
        if (cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) throw new Error('invalid syntax');
        out += String.fromCodePoint(cp);
        i += n;
        break;
      }
      default: {
        if (e !== undefined && e >= '0' && e <= '7') {
          const oct = body.slice(i, i + 3);
          if (!/^[0-7]{3}$/.test(oct)) throw new Error('invalid syntax');
          const v = parseInt(oct, 8);
          if (v > 255) throw new Error('invalid syntax');
          bytes.push(v);
          i += 2;
          break;
        }
        throw new Error('invalid syntax');
      }
    }
  }
  flush();
  return out;
}

/**
 * UTF-8 bytes to a string. Bytes that are not valid UTF-8 become lone surrogates U+DC80…U+DCFF
 * ("surrogate escape"), so the text stays distinguishable from valid input: `isValidUtf8` spots
 * them and `goQuote` prints them back as `\xNN`.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: false });

function decodeBytes(bytes: readonly number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len =
      b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    let ok = len > 0 && i + len <= bytes.length;
    for (let k = 1; ok && k < len; k++) ok = (bytes[i + k]! & 0xc0) === 0x80;
    if (ok) {
      const decoded = UTF8.decode(new Uint8Array(bytes.slice(i, i + len)));
      if (!decoded.includes('\ufffd')) {
        out += decoded;
        i += len;
        continue;
      }
    }
    out += String.fromCharCode(0xdc00 + b);
    i++;
  }
  return out;
}

/** False when `s` holds bytes that are not valid UTF-8 (see `decodeBytes`). */
export function isValidUtf8(s: string): boolean {
  // With the u flag a surrogate class only matches unpaired surrogates.
  return !/[\ud800-\udfff]/u.test(s);
}
