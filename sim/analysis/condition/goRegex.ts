/**
 * Compiles a Go (RE2) pattern for `matches` into a JS RegExp, or returns Go's error text.
 * Handles the RE2 spellings conditions use — leading flags `(?i)`, named groups `(?P<name>...)` —
 * and rejects what RE2 rejects (look-around, back-references) rather than silently accepting it.
 */
export function compileGoRegex(pattern: string): RegExp | string {
  let body = pattern;
  let flags = '';
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(body);
  if (leading) {
    for (const f of leading[1] ?? '') {
      if (f === 'i' || f === 'm' || f === 's') flags += flags.includes(f) ? '' : f;
      else return `error parsing regexp: invalid or unsupported Perl syntax: \`(?${f}\``;
    }
    body = body.slice(leading[0].length);
  }
  const lookaround = /\(\?<?[=!]/.exec(body);
  if (lookaround) return `error parsing regexp: invalid or unsupported Perl syntax: \`${lookaround[0]}\``;
  const backref = /(?<!\\)(?:\\\\)*\\([1-9])/.exec(body);
  if (backref) return `error parsing regexp: invalid escape sequence: \`\\${backref[1]}\``;
  body = body.replaceAll('(?P<', '(?<');
  try {
    return new RegExp(body, flags);
  } catch (e) {
    return `error parsing regexp: ${e instanceof Error ? e.message : String(e)}`;
  }
}
