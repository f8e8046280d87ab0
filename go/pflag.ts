import { parseGoDuration } from './duration.js';
import { goDurationError } from './duration.js';
import { goQuote } from './quote.js';
import { isStrconvError, parseBool, parseIntBase0 } from './strconv.js';

/** A flag of spf13/pflag: its type and default (durations in ms). */
export type PflagDef =
  | { type: 'string'; default: string }
  | { type: 'int'; default: bigint }
  | { type: 'bool'; default: boolean }
  | { type: 'duration'; default: number }
  | { type: 'stringSlice'; default: readonly string[] };

/** A parsed flag value. */
export type PflagValue = string | bigint | boolean | number | readonly string[];

/** A flag set: long names, and one-letter shorthands for some of them (`v` → `version`). */
export interface PflagSet {
  defs: Readonly<Record<string, PflagDef>>;
  shorthands: Readonly<Record<string, string>>;
}

/** What `fs.Parse(args)` (ContinueOnError) gives. */
export type PflagResult =
  /** `changed`: the flags the command line set, which viper prefers over the environment. */
  | { kind: 'ok'; values: Record<string, PflagValue>; changed: ReadonlySet<string>; positional: string[] }
  /** `--help` or `-h`, not defined: pflag.ErrHelp. */
  | { kind: 'help' }
  | { kind: 'error'; message: string };

/**
 * spf13/pflag's parser: `--name=value`, `--name value` (booleans take no separate value:
 * `--random-error false` sets it and leaves `false` as a positional argument), shorthands `-v`,
 * `-v=false`; positional arguments may sit between flags; `--` ends the flags. A stringSlice
 * flag's first use replaces its default, later uses append.
 */
export function parsePflags(set: PflagSet, argv: readonly string[]): PflagResult {
  const values: Record<string, PflagValue> = {};
  for (const [name, d] of Object.entries(set.defs)) values[name] = d.default;
  const changed = new Set<string>();
  const positional: string[] = [];
  const args = [...argv];

  const assign = (name: string, shown: string, value: string): string | undefined => {
    const def = set.defs[name]!;
    const bad = (why: string) => `invalid argument ${goQuote(value)} for ${goQuote(shown)} flag: ${why}`;
    switch (def.type) {
      case 'string':
        values[name] = value;
        break;
      case 'int': {
        const n = parseIntBase0(value);
        if (isStrconvError(n)) return bad(n.error);
        values[name] = n;
        break;
      }
      case 'bool': {
        const b = parseBool(value);
        if (isStrconvError(b)) return bad(b.error);
        values[name] = b;
        break;
      }
      case 'duration': {
        const ms = parseGoDuration(value);
        if (ms === undefined) return bad(goDurationError(value));
        values[name] = ms;
        break;
      }
      case 'stringSlice': {
        const items = value === '' ? [] : value.split(',');
        values[name] = changed.has(name) ? [...(values[name] as readonly string[]), ...items] : items;
        break;
      }
    }
    changed.add(name);
    return undefined;
  };
  const shownName = (name: string) => {
    const short = Object.keys(set.shorthands).find((k) => set.shorthands[k] === name);
    return short ? `-${short}, --${name}` : `--${name}`;
  };

  while (args.length > 0) {
    const s = args.shift()!;
    if (s.length < 2 || s[0] !== '-') {
      positional.push(s);
      continue;
    }
    if (s === '--') {
      positional.push(...args);
      break;
    }
    if (s[1] === '-') {
      const body = s.slice(2);
      if (body === '' || body[0] === '-' || body[0] === '=')
        return { kind: 'error', message: `bad flag syntax: ${s}` };
      const eq = body.indexOf('=');
      const name = eq < 0 ? body : body.slice(0, eq);
      if (!Object.hasOwn(set.defs, name)) {
        if (name === 'help') return { kind: 'help' };
        return { kind: 'error', message: `unknown flag: --${name}` };
      }
      let value: string;
      if (eq >= 0) value = body.slice(eq + 1);
      else if (set.defs[name]!.type === 'bool') value = 'true';
      else if (args.length > 0) value = args.shift()!;
      else return { kind: 'error', message: `flag needs an argument: ${s}` };
      const err = assign(name, shownName(name), value);
      if (err) return { kind: 'error', message: err };
      continue;
    }
    // One or more shorthands: -v, -vh, -v=false.
    let shorts = s.slice(1);
    while (shorts.length > 0) {
      const c = shorts[0]!;
      const name = Object.hasOwn(set.shorthands, c) ? set.shorthands[c] : undefined;
      if (name === undefined) {
        if (c === 'h') return { kind: 'help' };
        return { kind: 'error', message: `unknown shorthand flag: ${goQuoteChar(c)} in -${shorts}` };
      }
      let value: string;
      let rest = shorts.slice(1);
      if (shorts.length > 2 && shorts[1] === '=') {
        value = shorts.slice(2);
        rest = '';
      } else if (set.defs[name]!.type === 'bool') value = 'true';
      else if (shorts.length > 1) {
        value = shorts.slice(1);
        rest = '';
      } else if (args.length > 0) value = args.shift()!;
      else return { kind: 'error', message: `flag needs an argument: ${goQuoteChar(c)} in -${shorts}` };
      const err = assign(name, shownName(name), value);
      if (err) return { kind: 'error', message: err };
      shorts = rest;
    }
  }
  return { kind: 'ok', values, changed, positional };
}

/** Go's `%q` of a byte: a quoted character literal (`'x'`). */
function goQuoteChar(c: string): string {
  return c === "'" ? "'\\''" : `'${goQuote(c).slice(1, -1).replace(/\\"/g, '"')}'`;
}
