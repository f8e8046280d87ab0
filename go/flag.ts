import { goQuote } from './quote.js';
import { isStrconvError, parseBool, parseIntBase0, type StrconvError } from './strconv.js';

/** A flag of Go's std `flag` package: its type and default. */
export type GoFlagDef =
  { type: 'string'; default: string } | { type: 'int'; default: bigint } | { type: 'bool'; default: boolean };

/** What `flag.Parse()` (ExitOnError) makes of a command line. */
export type GoFlagResult =
  | { kind: 'ok'; values: Record<string, string | bigint | boolean>; rest: string[] }
  /** `-h` or `-help` when not defined: the usage is printed and the program exits 0. */
  | { kind: 'help' }
  /** The message printed before the usage; the program exits 2. */
  | { kind: 'error'; message: string };

/** What scanning a command line with Go's `flag` rules gives. */
export type GoFlagScan =
  | { kind: 'ok'; rest: string[] }
  /** `-h` or `-help` when not defined: the usage is printed and the program exits 0. */
  | { kind: 'help' }
  /** The message printed before the usage; the program exits 2 (ExitOnError). */
  | { kind: 'error'; message: string };

/**
 * Go's `flag` package's scanner (flag.go `parseOne`), the one implementation hey's flags and the
 * built-in apps' share: `-name`, `--name`, `-name=value`, `-name value` (not for booleans:
 * `-tls false` sets tls and stops at the positional `false`); parsing stops at the first
 * non-flag argument or after `--`. `kindOf(name)` says whether a flag is a boolean, takes a
 * value, or is not defined; `set` stores a value and returns the flag package's reason when it
 * is invalid (`parse error`, `value out of range`), which the message quotes as Go does.
 */
export function scanGoFlags(
  argv: readonly string[],
  kindOf: (name: string) => 'bool' | 'value' | undefined,
  set: (name: string, value: string) => string | undefined,
): GoFlagScan {
  const args = [...argv];
  while (args.length > 0) {
    const s = args[0]!;
    if (s.length < 2 || s[0] !== '-') break;
    let dashes = 1;
    if (s[1] === '-') {
      dashes = 2;
      if (s.length === 2) {
        args.shift();
        break;
      }
    }
    let name = s.slice(dashes);
    if (name === '' || name[0] === '-' || name[0] === '=')
      return { kind: 'error', message: `bad flag syntax: ${s}` };
    args.shift();
    let value: string | undefined;
    const eq = name.indexOf('=', 1);
    if (eq > 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const kind = kindOf(name);
    if (kind === undefined) {
      if (name === 'help' || name === 'h') return { kind: 'help' };
      return { kind: 'error', message: `flag provided but not defined: -${name}` };
    }
    if (kind === 'bool') {
      const why = set(name, value ?? 'true');
      if (why !== undefined)
        return {
          kind: 'error',
          message: `invalid boolean value ${goQuote(value ?? '')} for -${name}: ${why}`,
        };
      continue;
    }
    if (value === undefined) {
      if (args.length === 0) return { kind: 'error', message: `flag needs an argument: -${name}` };
      value = args.shift()!;
    }
    const why = set(name, value);
    if (why !== undefined)
      return { kind: 'error', message: `invalid value ${goQuote(value)} for flag -${name}: ${why}` };
  }
  return { kind: 'ok', rest: args };
}

/** The flag package's reason for a strconv failure. */
export function flagReason(e: StrconvError): string {
  return e.kind === 'range' ? 'value out of range' : 'parse error';
}

/** `flag.Parse()` (ExitOnError) over typed definitions: values by name, or help, or the error. */
export function parseGoFlags(
  defs: Readonly<Record<string, GoFlagDef>>,
  argv: readonly string[],
): GoFlagResult {
  const values: Record<string, string | bigint | boolean> = {};
  for (const [name, d] of Object.entries(defs)) values[name] = d.default;
  const scan = scanGoFlags(
    argv,
    (name) => {
      const def = Object.hasOwn(defs, name) ? defs[name] : undefined;
      return def === undefined ? undefined : def.type === 'bool' ? 'bool' : 'value';
    },
    (name, value) => {
      const def = defs[name]!;
      if (def.type === 'bool') {
        const b = parseBool(value);
        if (isStrconvError(b)) return 'parse error';
        values[name] = b;
      } else if (def.type === 'int') {
        const n = parseIntBase0(value);
        if (isStrconvError(n)) return flagReason(n);
        values[name] = n;
      } else values[name] = value;
      return undefined;
    },
  );
  return scan.kind === 'ok' ? { kind: 'ok', values, rest: scan.rest } : scan;
}
