import { InputError, quote } from '../../sim/errors.js';
import type { Path } from '../../sim/manifests/YamlSource.js';
import { parseSetFlag } from '../scenario/overrides.js';

/** Bounds of a sweep's grid (README, Limits). */
export const SWEEP_LIMITS = {
  /** `--vary` flags. */
  keys: 8,
  /** Values of one `--vary`. */
  values: 100,
  /** Cells of the grid (the product of the value counts, times the mutants). */
  cells: 1000,
  /** `--seeds`. */
  seeds: 10_000,
  /** Rollouts of one sweep: cells × seeds, before sharding. */
  runs: 100_000,
} as const;

/**
 * What a `--vary` KEY addresses: a value of the scenario (a `--set` path), or a field of a
 * manifest the scenario applies, by kind and name (`Rollout/silly-demo:spec.strategy…`).
 */
export type VaryTarget =
  { kind: 'scenario'; path: Path } | { kind: 'manifest'; objectKind: string; name: string; path: Path };

/** One `--vary KEY=V1,V2,…`: where, the values (read as YAML, as `--set` reads one) and how they were typed. */
export interface VaryKey {
  /** The KEY as typed: a column of the tables. */
  key: string;
  target: VaryTarget;
  values: unknown[];
  /** Each value as typed (the tables print these). */
  texts: string[];
  /** `--vary KEY=…`, as messages name it. */
  flag: string;
}

/**
 * Splits `V1,V2,…` at the commas outside brackets, braces and quotes, so a value may be a YAML
 * mapping or list (`{p50: 20ms, p99: 200ms}`) or a quoted string with a comma.
 */
export function splitValues(text: string): string[] | string {
  const out: string[] = [];
  let depth = 0;
  let quoteChar: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoteChar) {
      if (c === '\\' && quoteChar === '"') i++;
      else if (c === quoteChar) quoteChar = undefined;
    } else if (c === '"' || c === "'") quoteChar = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (quoteChar) return `an unterminated ${quoteChar} quote`;
  if (depth !== 0) return 'unbalanced brackets or braces';
  out.push(text.slice(start).trim());
  return out;
}

const MANIFEST_KEY = /^([A-Za-z][A-Za-z0-9]*)\/([a-z0-9]([-a-z0-9.]*[a-z0-9])?):(.+)$/;

/**
 * Parses `--vary KEY=V1,V2,…`. KEY is a scenario path as `--set` takes it (`apps[0].errors`,
 * `timeline[4].traffic.rate`), or `Kind/name:path` for a field of a manifest the scenario applies
 * (`ClusterAnalysisTemplate/success-rate:spec.metrics[0].successCondition`). The values are
 * YAML, one each, as `--set` reads a value; a number given for a `successCondition` or
 * `failureCondition` replaces the number the condition compares against (see cli/lint/conditionThreshold.ts).
 */
export function parseVaryFlag(arg: string): VaryKey {
  const flag = `--vary ${arg.length <= 80 ? arg : quote(arg)}`;
  const fail = (why: string) => new InputError(`invalid --vary ${quote(arg)}: ${why}`);
  // The key ends at the first = outside a quoted ["a=b"] key.
  let eq = -1;
  for (let i = 0, inQuote = false; i < arg.length; i++) {
    if (arg[i] === '"' && arg[i - 1] !== '\\') inQuote = !inQuote;
    else if (arg[i] === '=' && !inQuote) {
      eq = i;
      break;
    }
  }
  if (eq <= 0) throw fail('expected KEY=V1,V2,… such as apps[0].errors=0%,2%,5%');
  const key = arg.slice(0, eq);
  const list = splitValues(arg.slice(eq + 1));
  if (typeof list === 'string') throw fail(`the values have ${list}`);
  if (list.some((v) => v === '')) throw fail('an empty value: expected V1,V2,… with none empty');
  if (list.length > SWEEP_LIMITS.values)
    throw fail(`${list.length} values: expected at most ${SWEEP_LIMITS.values} (canarysim's limit)`);
  const dup = list.find((v, i) => list.indexOf(v) !== i);
  if (dup !== undefined) throw fail(`the value ${quote(dup)} is given twice`);
  const m = MANIFEST_KEY.exec(key);
  const pathText = m ? m[4]! : key;
  // The path and each value are read exactly as `--set` reads them.
  const parse = (v: string) => {
    try {
      return parseSetFlag(`${pathText}=${v}`);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw fail(e.message.replace(/^invalid --set "[^]*?": /, ''));
    }
  };
  const parsed = list.map(parse);
  const path = parsed[0]!.path;
  const target: VaryTarget = m
    ? { kind: 'manifest', objectKind: m[1]!, name: m[2]!, path }
    : { kind: 'scenario', path };
  return { key, target, values: parsed.map((p) => p.value), texts: list, flag };
}
