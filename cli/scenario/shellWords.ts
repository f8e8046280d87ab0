/** A variable's name, as $NAME and ${NAME} expand it (and `--env NAME=value` sets it). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Splits a command line the way a POSIX shell would for simple commands: whitespace separates
 * words; '…' is literal; "…" expands $VAR and ${VAR} and honours \" \\ \$; unquoted text expands
 * variables too. No globbing, no command substitution — nothing is executed.
 * Returns the words, or an error message.
 */
export function shellWords(line: string, env: Readonly<Record<string, string>>): string[] | string {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let i = 0;
  const expand = (): string | undefined => {
    // at line[i] === '$'
    const braced = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(line.slice(i));
    const plain = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(line.slice(i));
    const m = braced ?? plain;
    if (!m) {
      i++;
      return '$';
    }
    i += m[0].length;
    const v = env[m[1]!];
    if (v === undefined) return undefined;
    return v;
  };
  while (i < line.length) {
    const ch = line[i]!;
    if (ch === ' ' || ch === '\t' || ch === '\n') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      i++;
    } else if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) return `unterminated ' quote at column ${i + 1}`;
      cur += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      inWord = true;
      i++;
      for (;;) {
        if (i >= line.length) return 'unterminated " quote';
        const c = line[i]!;
        if (c === '"') {
          i++;
          break;
        }
        if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) {
          cur += line[i + 1];
          i += 2;
        } else if (c === '$') {
          const name = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(line.slice(i))?.[1];
          const v = expand();
          if (v === undefined) return `variable $${name} is not set (define it under env: in the scenario)`;
          cur += v;
        } else {
          cur += c;
          i++;
        }
      }
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[i + 1];
      inWord = true;
      i += 2;
    } else if (ch === '$') {
      const name = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(line.slice(i))?.[1];
      const v = expand();
      if (v === undefined) return `variable $${name} is not set (define it under env: in the scenario)`;
      cur += v;
      inWord = true;
    } else if (';&|<>`()'.includes(ch)) {
      return `unsupported shell syntax ${JSON.stringify(ch)} at column ${i + 1}: only a plain command with arguments is accepted`;
    } else {
      cur += ch;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** Expands $VAR / ${VAR} in a plain string (URLs); an error message when one is not set. */
export function expandVars(s: string, env: Readonly<Record<string, string>>): string | { error: string } {
  let missing: string | undefined;
  const out = s.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_, a: string | undefined, b: string | undefined) => {
      const name = a ?? b!;
      const v = env[name];
      if (v === undefined) missing ??= name;
      return v ?? '';
    },
  );
  return missing !== undefined
    ? { error: `variable $${missing} is not set (define it under env: in the scenario)` }
    : out;
}
