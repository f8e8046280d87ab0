import { compileRegexp, Regexp } from '../../go/regexp.js';
import { InputError } from '../errors.js';
import { almostEqual } from './almostEqual.js';
import type { Expr } from './ast.js';
import { Engine, type EngineOptions, type QueryResult } from './Engine.js';
import { AT_MODIFIER_UNSAFE_FUNCTIONS } from './functions.js';
import { parseGoNumber, parsePromDuration } from './goFormat.js';
import { Labels } from './Labels.js';
import { parseExpr } from './parser.js';
import { formatExpr } from './printer.js';
import { PromQLParseError } from './PromQLParseError.js';
import type { Queryable } from './Queryable.js';
import {
  newPointBudget,
  parseSeriesDescription,
  type PointBudget,
  type SeqValue,
} from './seriesDescription.js';
import { Storage } from '../tsdb/index.js';

/*
 * A runner for Prometheus's PromQL test scripts (`promql/promqltest`): `load`, `clear`,
 * `eval instant|range`, `expect …` lines, the legacy `eval_fail`/`eval_ordered` forms, and the
 * upstream runner's extra checks (each instant eval re-run with `@` pinned selectors at other
 * times, and once more as a range query). Callers pass the text; nothing here touches files.
 */

/** Storage the runner loads into and queries. */
export interface TestStorage extends Queryable {
  seriesRef(labels: Record<string, string>): number;
  append(ref: number, t: number, v: number): boolean;
  appendStale(ref: number, t: number): boolean;
}

interface ExpectCmd {
  /** Exact text to match, or a regex (unanchored, RE2). */
  readonly message?: string;
  readonly regex?: Regexp;
}

type ExpectType = 'ordered' | 'fail' | 'warn' | 'no_warn' | 'info' | 'no_info';

interface ExpectedSeries {
  readonly pos: number;
  readonly labels: Labels;
  readonly values: readonly SeqValue[];
}

interface LoadCommand {
  readonly kind: 'load';
  readonly line: number;
  readonly stepMs: number;
  readonly series: readonly { labels: Record<string, string>; values: readonly SeqValue[] }[];
}

interface EvalCommand {
  readonly kind: 'eval';
  readonly line: number;
  readonly expr: string;
  readonly isRange: boolean;
  startMs: number;
  endMs: number;
  stepMs: number;
  evalMs: number;
  fail: boolean;
  ordered: boolean;
  warn: boolean;
  info: boolean;
  expectedFailMessage?: string;
  expectedFailRegexp?: Regexp;
  readonly expects: Record<ExpectType, ExpectCmd[]>;
  expectScalar: boolean;
  readonly expected: Map<string, ExpectedSeries>;
  expectedString?: string;
  excludeFromRangeQuery: boolean;
  /** Why the block itself is malformed (reported when it runs). */
  error?: string;
}

type Command = { readonly kind: 'clear'; readonly line: number } | LoadCommand | EvalCommand;

/** A parsed test script. */
export interface TestScript {
  readonly file: string;
  readonly commands: readonly Command[];
}

/** How one eval block went. `line` is the 1-based line of its `eval` header. */
export interface EvalOutcome {
  line: number;
  passed: boolean;
  skipped?: boolean;
  /** Why it was skipped. */
  reason?: string;
  /** What failed. */
  message?: string;
}

/** The outcome of every eval block, in file order. */
export interface TestScriptResult {
  results: EvalOutcome[];
}

/** Runner options. */
export interface RunOptions {
  /** Which eval blocks to run (by header line); the others are reported skipped. Default: all. */
  filter?: (evalLine: number) => boolean;
  /**
   * Also run the upstream runner's re-checks: `@`-pinned variants at other times and a range
   * query around each instant eval. Default true.
   */
  strict?: boolean;
  engine?: EngineOptions;
  /** Storage per `clear` (default: the embedded TSDB). */
  newStorage?: () => TestStorage;
}

const PAT_LOAD = /^load(?:_(with_nhcb))?\s+(.+?)$/;
const PAT_EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const PAT_EVAL_RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const PAT_EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const PAT_EXPECT_RANGE = /^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$/;
const QUERY_CONTEXT_FUNCS = /(start|end|range|step)\(\)/;

function duration(text: string, what: string): number {
  const d = parsePromDuration(text);
  if (typeof d !== 'number') throw new Error(`invalid ${what} ${JSON.stringify(text)}: ${d.error}`);
  return d;
}

/** Parses a script; throws on lines that are not commands (with `file:line`). */
export function parseTestScript(text: string, file = '<script>'): TestScript {
  const lines = text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
  const commands: Command[] = [];
  const budget = newPointBudget();
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') continue;
    const word = l.split(/[\t ]+/, 1)[0]!.toLowerCase();
    try {
      if (word === 'clear') commands.push({ kind: 'clear', line: i + 1 });
      else if (word.startsWith('load')) i = parseLoad(lines, i, commands, budget);
      else if (word.startsWith('eval')) i = parseEval(lines, i, commands, budget);
      else throw new Error(`invalid command ${JSON.stringify(l)}`);
    } catch (e) {
      if (e instanceof PromQLParseError)
        throw new InputError(`invalid query: ${e.format()}`, { file, line: i + 1, col: 1 }, { cause: e });
      throw new InputError((e as Error).message, { file, line: i + 1, col: 1 }, { cause: e });
    }
  }
  return { file, commands };
}

function parseLoad(lines: string[], i: number, commands: Command[], budget: PointBudget): number {
  const m = PAT_LOAD.exec(lines[i]!);
  if (!m) throw new Error('invalid load command. (load[_with_nhcb] <step:duration>)');
  const stepMs = duration(m[2]!, 'step definition');
  const line = i + 1;
  const byKey = new Map<string, { labels: Record<string, string>; values: readonly SeqValue[] }>();
  let skipNext = false;
  while (i + 1 < lines.length && lines[i + 1] !== '') {
    i++;
    const def = lines[i]!;
    const firstWord = def.split(/[\t ]/, 1)[0]!;
    if (firstWord.endsWith('@st')) {
      // Start-timestamp data is outside the float subset: the series it annotates is skipped.
      skipNext = true;
      continue;
    }
    const desc = parseSeriesDescription(def, budget);
    if (skipNext || desc.histogram) {
      skipNext = false;
      continue;
    }
    byKey.set(Labels.fromRecord(desc.labels).key, { labels: desc.labels, values: desc.values });
  }
  commands.push({ kind: 'load', line, stepMs, series: [...byKey.values()] });
  return i;
}

function parseEval(lines: string[], i: number, commands: Command[], budget: PointBudget): number {
  const header = lines[i]!;
  const inst = PAT_EVAL_INSTANT.exec(header);
  const rng = inst ? null : PAT_EVAL_RANGE.exec(header);
  if (!inst && !rng) {
    throw new Error(
      "invalid evaluation command. Must be either 'eval[_fail|_warn|_ordered] instant [at <offset:duration>] <query>' or 'eval[_fail|_warn] range from <from> to <to> step <step> <query>'",
    );
  }
  const mod = (inst ? inst[1] : rng![1]) ?? '';
  const cmd: EvalCommand = {
    kind: 'eval',
    line: i + 1,
    expr: inst ? inst[3]! : rng![5]!,
    isRange: !inst,
    startMs: 0,
    endMs: 0,
    stepMs: 0,
    evalMs: 0,
    fail: mod === 'fail',
    ordered: mod === 'ordered',
    warn: mod === 'warn',
    info: mod === 'info',
    expects: { ordered: [], fail: [], warn: [], no_warn: [], info: [], no_info: [] },
    expectScalar: false,
    expected: new Map(),
    excludeFromRangeQuery: false,
  };
  commands.push(cmd);
  try {
    if (inst) {
      cmd.startMs = cmd.evalMs = duration(inst[2] ?? '', 'timestamp definition');
    } else {
      cmd.startMs = duration(rng![2]!, 'start timestamp definition');
      cmd.endMs = duration(rng![3]!, 'end timestamp definition');
      if (cmd.endMs < cmd.startMs)
        throw new Error('invalid test definition, end timestamp is before start timestamp');
      cmd.stepMs = duration(rng![4]!, 'step definition');
    }
  } catch (e) {
    cmd.error = (e as Error).message;
  }
  let pos = 1;
  let expectRangeVector = false;
  while (i + 1 < lines.length && lines[i + 1] !== '') {
    i++;
    const def = lines[i]!;
    try {
      if (cmd.fail && def.startsWith('expected_fail_message')) {
        cmd.expectedFailMessage = def.slice('expected_fail_message'.length).trim();
        break;
      }
      if (cmd.fail && def.startsWith('expected_fail_regexp')) {
        cmd.expectedFailRegexp = goRegexp(def.slice('expected_fail_regexp'.length).trim());
        break;
      }
      if (def.startsWith('expect range vector')) {
        const m = PAT_EXPECT_RANGE.exec(def);
        if (!m) throw new Error(`invalid range vector definition ${JSON.stringify(def)}`);
        cmd.startMs = duration(m[1]!, 'start');
        cmd.endMs = duration(m[2]!, 'end');
        cmd.stepMs = duration(m[3]!, 'step');
        cmd.evalMs = cmd.endMs;
        cmd.excludeFromRangeQuery = true;
        expectRangeVector = true;
        pos++;
        continue;
      }
      if (def.startsWith('expect string')) {
        cmd.expectedString = parseGoStringLiteral(def.slice('expect string'.length).trim());
        cmd.excludeFromRangeQuery = true;
        pos++;
        continue;
      }
      if (def.split(' ', 1)[0] === 'expect') {
        const m = PAT_EXPECT.exec(def.trim());
        if (!m)
          throw new Error(
            'invalid expect statement, must match `expect <type> <match_type>: <string>` format',
          );
        const type = m[1] as ExpectType;
        const text = m[3]?.trim();
        const expect: ExpectCmd =
          m[2] === 'msg'
            ? { message: text! }
            : m[2] === 'regex'
              ? { regex: goRegexp(text!) }
              : { regex: goRegexp('') };
        cmd.expects[type].push(expect);
        continue;
      }
      const scalar = parseScalarLine(def);
      if (scalar !== undefined) {
        cmd.expectScalar = true;
        cmd.expected.set('', { pos, labels: Labels.EMPTY, values: [scalar] });
        break;
      }
      const desc = parseSeriesDescription(def, budget);
      if (desc.histogram) throw new Error('native histogram expectations are not supported');
      if (desc.values.length > 1 && inst && !expectRangeVector) {
        throw new Error('expecting multiple values in instant evaluation not allowed');
      }
      const labels = Labels.fromRecord(desc.labels);
      cmd.expected.set(labels.key, { pos, labels, values: desc.values });
      pos++;
    } catch (e) {
      cmd.error ??= (e as Error).message;
    }
  }
  return i;
}

/** `regexp.MustCompile` as promqltest calls it: a script's bad regex is its error. */
function goRegexp(pattern: string): Regexp {
  const re = compileRegexp(pattern);
  if (re instanceof Regexp) return re;
  throw re;
}

/** A bare number line (Go base-0 int, then float, as Prometheus reads it): the expected scalar. */
function parseScalarLine(s: string): number | undefined {
  const v = parseGoNumber(s);
  return typeof v === 'number' ? v : undefined;
}

/** Go `strconv.Unquote` of a `"…"` or `` `…` `` literal (what `expect string` takes). */
function parseGoStringLiteral(s: string): string {
  if (s === '') throw new Error('expected string literal not valid - a quoted string literal is required');
  if (s.startsWith('`') && s.endsWith('`') && s.length >= 2) return s.slice(1, -1);
  if (s.startsWith('"') && s.endsWith('"') && s.length >= 2) return JSON.parse(s) as string;
  throw new Error('expected string literal not valid - check that the string is correctly quoted');
}

// --- running -------------------------------------------------------------------------------

class CheckFailure extends Error {}

function failIf(cond: boolean, message: string): void {
  if (cond) throw new CheckFailure(message);
}

/** Runs every command; loads and clears always run, evals per `filter`. */
export function runTestScript(script: TestScript, opts: RunOptions = {}): TestScriptResult {
  const newStorage = opts.newStorage ?? ((): TestStorage => new Storage());
  const engine = new Engine(opts.engine);
  const strict = opts.strict ?? true;
  let storage = newStorage();
  const results: EvalOutcome[] = [];
  for (const cmd of script.commands) {
    if (cmd.kind === 'clear') storage = newStorage();
    else if (cmd.kind === 'load') load(storage, cmd);
    else if (opts.filter && !opts.filter(cmd.line))
      results.push({ line: cmd.line, passed: false, skipped: true, reason: 'filtered out' });
    else {
      try {
        if (cmd.error) throw new CheckFailure(`malformed eval block: ${cmd.error}`);
        if (cmd.isRange) runRange(engine, storage, cmd);
        else runInstant(engine, storage, cmd, strict);
        results.push({ line: cmd.line, passed: true });
      } catch (e) {
        const message = e instanceof CheckFailure ? e.message : unexpected(e);
        results.push({ line: cmd.line, passed: false, message });
      }
    }
  }
  return { results };
}

/**
 * A failure no check made — a bug in the engine or the runner: one line that says so, with the
 * error and the place it was thrown (its first stack frame), instead of the whole stack.
 */
function unexpected(e: unknown): string {
  if (!(e instanceof Error)) return `unexpected error (a canarysim bug): ${String(e)}`;
  const at = /\n\s+at (.*)/.exec(e.stack ?? '')?.[1];
  return `unexpected error (a canarysim bug): ${e.name}: ${e.message.split('\n')[0]}${at ? ` (at ${at})` : ''}`;
}

function load(storage: TestStorage, cmd: LoadCommand): void {
  for (const s of cmd.series) {
    const ref = storage.seriesRef(s.labels);
    s.values.forEach((v, i) => {
      const t = i * cmd.stepMs;
      if (v === null) return;
      if (v === 'stale') storage.appendStale(ref, t);
      else storage.append(ref, t, v);
    });
  }
}

function errorText(e: unknown): string {
  if (e instanceof PromQLParseError) return e.format();
  return (e as Error).message;
}

function isFail(cmd: EvalCommand): boolean {
  return cmd.fail || cmd.expects.fail.length > 0;
}

function isOrdered(cmd: EvalCommand): boolean {
  return cmd.ordered || cmd.expects.ordered.length > 0;
}

function matchesExpect(e: ExpectCmd, text: string): boolean {
  return e.regex ? e.regex.matchString(text) : e.message === text;
}

function checkExpectedFailure(cmd: EvalCommand, err: string): void {
  if (cmd.expectedFailMessage !== undefined && cmd.expectedFailMessage !== '') {
    failIf(
      cmd.expectedFailMessage !== err,
      `expected error ${JSON.stringify(cmd.expectedFailMessage)}, but got: ${err}`,
    );
  }
  if (cmd.expectedFailRegexp)
    failIf(
      !cmd.expectedFailRegexp.matchString(err),
      `expected error matching ${cmd.expectedFailRegexp}, but got: ${err}`,
    );
  const expFail = cmd.expects.fail[0];
  if (expFail)
    failIf(
      !matchesExpect(expFail, err),
      `expected error matching ${JSON.stringify(expFail.message ?? String(expFail.regex))}, but got: ${err}`,
    );
}

/** Runs one query; returns undefined when it failed as the block expects. */
function runQuery(cmd: EvalCommand, run: () => QueryResult, what: string): QueryResult | undefined {
  let res: QueryResult;
  try {
    res = run();
  } catch (e) {
    if (e instanceof CheckFailure) throw e;
    const err = errorText(e);
    if (isFail(cmd)) {
      checkExpectedFailure(cmd, err);
      return undefined;
    }
    if (!(e instanceof Error) || !('name' in e) || !['PromQLParseError', 'PromQLEvalError'].includes(e.name))
      throw e;
    throw new CheckFailure(`error evaluating ${what}: ${err}`);
  }
  failIf(isFail(cmd), `expected error evaluating ${what} but got none`);
  checkAnnotations(cmd, res, what);
  return res;
}

function checkAnnotations(cmd: EvalCommand, res: QueryResult, what: string): void {
  failIf(cmd.warn && res.warnings.length === 0, `expected warnings evaluating ${what} but got none`);
  failIf(cmd.info && res.infos.length === 0, `expected info annotations evaluating ${what} but got none`);
  const validate = (expected: ExpectCmd[], actual: string[], kind: string): void => {
    if (expected.length === 0) return;
    failIf(actual.length === 0, `expected ${kind} annotations but none were found for ${what}`);
    for (const e of expected) {
      failIf(
        !actual.some((a) => matchesExpect(e, a)),
        `expected ${kind} annotation matching ${JSON.stringify(e.message ?? String(e.regex))} but found: ${JSON.stringify(actual)}`,
      );
    }
    for (const a of actual)
      failIf(
        !expected.some((e) => matchesExpect(e, a)),
        `unexpected ${kind} annotation ${JSON.stringify(a)} for ${what}`,
      );
  };
  validate(cmd.expects.warn, res.warnings, 'warn');
  validate(cmd.expects.info, res.infos, 'info');
  failIf(
    cmd.expects.no_warn.length > 0 && res.warnings.length > 0,
    `unexpected warning annotations evaluating ${what}: ${JSON.stringify(res.warnings)}`,
  );
  failIf(
    cmd.expects.no_info.length > 0 && res.infos.length > 0,
    `unexpected info annotations evaluating ${what}: ${JSON.stringify(res.infos)}`,
  );
}

function runRange(engine: Engine, storage: TestStorage, cmd: EvalCommand): void {
  const what = `range query ${JSON.stringify(cmd.expr)} (line ${cmd.line})`;
  const res = runQuery(
    cmd,
    () => engine.rangeQuery(storage, cmd.expr, cmd.startMs, cmd.endMs, cmd.stepMs),
    what,
  );
  if (res) compareResult(cmd, res, what);
}

function runInstant(engine: Engine, storage: TestStorage, cmd: EvalCommand, strict: boolean): void {
  const variants: { expr: string; evalMs: number }[] = [{ expr: cmd.expr, evalMs: cmd.evalMs }];
  if (strict) variants.push(...atModifierVariants(cmd.expr, cmd.evalMs));
  for (const v of variants) {
    const what = `instant query ${JSON.stringify(v.expr)} at ${v.evalMs}ms (line ${cmd.line})`;
    const res = runQuery(cmd, () => engine.instantQuery(storage, v.expr, v.evalMs), what);
    if (!res) continue;
    compareResult(cmd, res, what);
    if (!strict || cmd.excludeFromRangeQuery || QUERY_CONTEXT_FUNCS.test(v.expr)) continue;
    let rangeRes: QueryResult;
    try {
      rangeRes = engine.rangeQuery(storage, v.expr, v.evalMs - 60_000, v.evalMs + 60_000, 60_000);
    } catch (e) {
      throw new CheckFailure(`error evaluating ${what} in range mode: ${errorText(e)}`);
    }
    if (isOrdered(cmd) || rangeRes.resultType !== 'matrix') continue;
    assertSorted(rangeRes.result.map((s) => Labels.fromRecord(s.metric)));
    const vector: { metric: Labels; value: number }[] = [];
    for (const s of rangeRes.result) {
      const p = s.values.find((pt) => pt.t === v.evalMs);
      if (p) vector.push({ metric: Labels.fromRecord(s.metric), value: p.v });
    }
    if (res.resultType === 'scalar') {
      failIf(vector.length === 0, `${what} in range mode: no point at the evaluation time`);
      compareScalar(cmd, vector[0]!.value, `${what} range mode`);
    } else compareVector(cmd, vector, `${what} range mode`);
  }
}

/**
 * The upstream runner's step-invariance check: every selector without `@` gets `@ <eval time>`,
 * and the query must give the same result at other evaluation times. Skipped for expressions
 * whose value depends on the evaluation time itself (`time()`, `timestamp()`, …).
 */
function atModifierVariants(exprText: string, evalMs: number): { expr: string; evalMs: number }[] {
  let expr: Expr;
  try {
    expr = parseExpr(exprText);
  } catch {
    return [];
  }
  let unsafe = false;
  const pin = (e: Expr): Expr => {
    switch (e.type) {
      case 'VectorSelector':
        return e.timestampMs === null && e.startOrEnd === null ? { ...e, timestampMs: evalMs } : e;
      case 'MatrixSelector':
        return { ...e, vectorSelector: pin(e.vectorSelector) as typeof e.vectorSelector };
      case 'ParenExpr':
      case 'UnaryExpr':
        return { ...e, expr: pin(e.expr) };
      case 'BinaryExpr':
        return { ...e, lhs: pin(e.lhs), rhs: pin(e.rhs) };
      case 'AggregateExpr':
        return { ...e, expr: pin(e.expr), param: e.param ? pin(e.param) : null };
      case 'Call':
        if (AT_MODIFIER_UNSAFE_FUNCTIONS.has(e.func.name)) unsafe = true;
        return { ...e, args: e.args.map(pin) };
      default:
        return e;
    }
  };
  const pinned = formatExpr(pin(expr));
  if (unsafe) return [];
  const times =
    evalMs === 0 ? [-1000, 0, 1000] : [-10 * evalMs, 0, Math.trunc(evalMs / 5), evalMs, 10 * evalMs];
  return times.map((t) => ({ expr: pinned, evalMs: t }));
}

function compareScalar(cmd: EvalCommand, value: number, what: string): void {
  failIf(!cmd.expectScalar, `${what}: expected vector or matrix result, but got scalar ${value}`);
  const exp = cmd.expected.get('')!.values[0];
  failIf(
    typeof exp !== 'number' || !almostEqual(exp, value),
    `${what}: expected scalar ${String(exp)} but got ${value}`,
  );
}

function compareVector(
  cmd: EvalCommand,
  vec: readonly { metric: Labels; value: number }[],
  what: string,
): void {
  failIf(cmd.expectScalar, `${what}: expected scalar result, but got a vector`);
  const seen = new Set<string>();
  vec.forEach((s, i) => {
    const exp = cmd.expected.get(s.metric.key);
    failIf(!exp, `${what}: unexpected metric ${s.metric.toString()} in result, has value ${s.value}`);
    failIf(
      isOrdered(cmd) && exp!.pos !== i + 1,
      `${what}: expected metric ${s.metric.toString()} at position ${exp!.pos} but was at ${i + 1}`,
    );
    const v = exp!.values[0];
    failIf(
      typeof v !== 'number' || !almostEqual(v, s.value),
      `${what}: expected ${String(v)} for ${s.metric.toString()} but got ${s.value}`,
    );
    seen.add(s.metric.key);
  });
  for (const [key, exp] of cmd.expected)
    failIf(!seen.has(key), `${what}: expected metric ${exp.labels.toString()} not found`);
}

function assertSorted(metrics: readonly Labels[]): void {
  for (let i = 0; i + 1 < metrics.length; i++) {
    failIf(
      Labels.compare(metrics[i]!, metrics[i + 1]!) > 0,
      `matrix results should always be sorted by labels: ${metrics[i]!.toString()} before ${metrics[i + 1]!.toString()}`,
    );
  }
}

function compareResult(cmd: EvalCommand, res: QueryResult, what: string): void {
  switch (res.resultType) {
    case 'matrix': {
      failIf(isOrdered(cmd), `${what}: expected ordered result, but query returned a matrix`);
      failIf(cmd.expectScalar, `${what}: expected scalar result, but got a matrix`);
      const metrics = res.result.map((s) => Labels.fromRecord(s.metric));
      assertSorted(metrics);
      const seen = new Set<string>();
      res.result.forEach((s, idx) => {
        const metric = metrics[idx]!;
        const exp = cmd.expected.get(metric.key);
        failIf(
          !exp,
          `${what}: unexpected metric ${metric.toString()} in result, has ${JSON.stringify(s.values)}`,
        );
        seen.add(metric.key);
        const expected: { t: number; v: number | 'stale' }[] = [];
        exp!.values.forEach((v, i) => {
          const t = cmd.startMs + i * cmd.stepMs;
          failIf(
            t > cmd.endMs,
            `${what}: expected ${exp!.values.length} points for ${metric.toString()}, but query time range cannot return this many points`,
          );
          if (v !== null) expected.push({ t, v });
        });
        failIf(
          expected.length !== s.values.length,
          `${what}: expected ${expected.length} float points for ${metric.toString()}, but got ${JSON.stringify(s.values)}`,
        );
        expected.forEach((e, i) => {
          const actual = s.values[i]!;
          failIf(
            e.t !== actual.t,
            `${what}: expected point ${i} of ${metric.toString()} at t=${e.t}, but it had t=${actual.t}`,
          );
          failIf(
            e.v === 'stale' || !almostEqual(e.v, actual.v),
            `${what}: expected ${String(e.v)} at t=${e.t} for ${metric.toString()} but got ${actual.v}`,
          );
        });
      });
      for (const [key, exp] of cmd.expected)
        failIf(!seen.has(key), `${what}: expected metric ${exp.labels.toString()} not found`);
      return;
    }
    case 'vector':
      return compareVector(
        cmd,
        res.result.map((s) => ({ metric: Labels.fromRecord(s.metric), value: s.value })),
        what,
      );
    case 'scalar':
      return compareScalar(cmd, res.result, what);
    case 'string':
      failIf(
        (cmd.expectedString ?? '') !== res.result,
        `${what}: expected string ${JSON.stringify(cmd.expectedString)} but got ${JSON.stringify(res.result)}`,
      );
  }
}
