/**
 * Go `regexp.Expand` template text: `$1`, `${1}`, `$name`, `${name}`, `$$`. A name is the longest
 * run of letters, digits and `_`, so `$1x` is the (empty) group "1x"; write `${1}x`.
 */
export function expandTemplate(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    let end: number;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      name = close < 0 ? '' : template.slice(i + 2, close);
      end = close;
      if (!/^[A-Za-z0-9_]+$/.test(name)) {
        out += '$';
        continue;
      }
    } else {
      const run = /^[A-Za-z0-9_]*/.exec(template.slice(i + 1))![0];
      name = run;
      end = i + run.length;
      if (name === '') {
        out += '$';
        continue;
      }
    }
    i = end;
    if (/^[0-9]+$/.test(name)) {
      const n = Number(name);
      out += n < m.length ? (m[n] ?? '') : '';
    } else {
      out += m.groups?.[name] ?? '';
    }
  }
  return out;
}
