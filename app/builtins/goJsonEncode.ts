/**
 * A value as Go's encoding/json writes it: strings, integers (bigint for int64), booleans, null, arrays, and objects
 * as Maps (written in the Map's order: a Go struct's field order, or sorted keys for a Go map —
 * see {@link goMap}).
 */
export type GoJsonValue =
  string | number | bigint | boolean | null | readonly GoJsonValue[] | ReadonlyMap<string, GoJsonValue>;

/** A Go `map[string]T` as encoding/json writes it: keys sorted. */
export function goMap(entries: Readonly<Record<string, GoJsonValue>>): ReadonlyMap<string, GoJsonValue> {
  return new Map(Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A Go struct as encoding/json writes it: fields in declaration order. */
export function goStruct(
  entries: ReadonlyArray<readonly [string, GoJsonValue]>,
): ReadonlyMap<string, GoJsonValue> {
  return new Map(entries);
}

const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * A JSON string as `json.Marshal` writes it (Go ≥ 1.22): HTML-safe, so `<`, `>` and `&` become
 * `\u003c`, `\u003e`, `\u0026`; U+2028 and U+2029 are escaped; other control characters are
 * `\u00XX`; invalid UTF-16 (a lone surrogate, Go's invalid UTF-8) becomes `\ufffd`.
 */
export function goJsonString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&' || cp === 0x2028 || cp === 0x2029)
      out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else out += ch;
  }
  return `${out}"`;
}

/**
 * `json.Marshal` then `json.Indent(out, b, "", "  ")`, as podinfo's JSON responses are written:
 * two-space indentation, `"key": value`, empty arrays and objects kept as `[]` and `{}`, no
 * trailing newline.
 */
export function goJsonIndent(v: GoJsonValue, indent = ''): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const inner = `${indent}  `;
  if (v instanceof Map) {
    if (v.size === 0) return '{}';
    const lines = [...v].map(([k, x]) => `${inner}${goJsonString(k)}: ${goJsonIndent(x, inner)}`);
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  const items = v as readonly GoJsonValue[];
  if (items.length === 0) return '[]';
  return `[\n${items.map((x) => inner + goJsonIndent(x, inner)).join(',\n')}\n${indent}]`;
}
