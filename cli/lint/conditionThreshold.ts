import { InputError, quote } from '../../sim/errors.js';

/**
 * The number an analysis condition compares against — one reading for `lint`'s sample-size
 * advisor (which error rate a threshold allows) and `sweep --vary …Condition=0.99` (which number
 * a swept value replaces), so both always agree on what "the threshold" of a condition is.
 */

/** A comparison of an operand with a number literal, as written. */
export interface NumberComparison {
  /** Offset of the comparison (its first character) in the condition. */
  index: number;
  /** The comparison as written: `result[0] >= 0.99`, `0.95 <= result[0]`, `== 0`. */
  text: string;
  /** The operator read with the operand on the left: `0.95 <= result[0]` is `result[0] >= 0.95`. */
  op: '<=' | '>=' | '==' | '!=' | '<' | '>';
  value: number;
  /** Where the number literal is, and its length: what a new threshold replaces. */
  numberAt: number;
  numberLength: number;
  /** The operand is `result` or `result[0]` (not `len(result)`, not an index). */
  ofResult: boolean;
}

const NUMBER = String.raw`-?\d*\.?\d+(?:[eE][-+]?\d+)?`;
/** `OP number`: the number must not run on into a name, a field or an index. */
const RIGHT = new RegExp(String.raw`(<=|>=|==|!=|<|>)(\s*)(${NUMBER})(?![\w.[])`, 'g');
/** `number OP`: the number must not be the tail of a name, a field or an index (`result[0]`). */
const LEFT = new RegExp(String.raw`(?<![\w.\]\[])(${NUMBER})(\s*)(<=|>=|==|!=|<|>)`, 'g');
const RESULT_BEFORE = /(?<![\w.)\]])result(?:\s*\[\s*0\s*\])?\s*$/;
const RESULT_AFTER = /^\s*result(?:\s*\[\s*0\s*\])?(?![\w.([])/;
const FLIP = { '>=': '<=', '>': '<', '<=': '>=', '<': '>', '==': '==', '!=': '!=' } as const;
type Op = keyof typeof FLIP;

/** Every comparison with a number literal on either side, in the order they are written. */
export function numberComparisons(condition: string): NumberComparison[] {
  const out: NumberComparison[] = [];
  for (const m of condition.matchAll(RIGHT)) {
    const before = condition.slice(0, m.index);
    const subject = RESULT_BEFORE.exec(before);
    const start = subject ? subject.index : m.index;
    out.push({
      index: start,
      text: condition.slice(start, m.index + m[0].length),
      op: m[1] as Op,
      value: Number(m[3]),
      numberAt: m.index + m[1]!.length + m[2]!.length,
      numberLength: m[3]!.length,
      ofResult: subject !== null,
    });
  }
  for (const m of condition.matchAll(LEFT)) {
    const after = condition.slice(m.index + m[0].length);
    const subject = RESULT_AFTER.exec(after);
    out.push({
      index: m.index,
      text: condition.slice(m.index, m.index + m[0].length + (subject ? subject[0].length : 0)),
      op: FLIP[m[3] as Op],
      value: Number(m[1]),
      numberAt: m.index,
      numberLength: m[1]!.length,
      ofResult: subject !== null,
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

/** A comparison of `result` or `result[0]` with a number in a condition, as written. */
export interface ProportionThreshold {
  /** The error rate the condition allows. */
  errorThreshold: number;
  /** `success` when a higher result is better (a success rate), `error` when lower is. */
  measures: 'success' | 'error';
  /** Offset of the comparison in the condition, for findings. */
  offset: number;
  /** The comparison as written: `result[0] >= 0.99`. */
  text: string;
}

/**
 * The proportion threshold of a condition: its first ordering comparison of `result[0]` (or
 * `result`) with a number in (0, 1). A successCondition that wants the result high (`>=`, `>`)
 * measures a success rate, one that wants it low an error rate; a failureCondition the other way
 * round. Undefined when the condition compares no proportion (a latency, a count).
 *
 *   success `result[0] >= 0.99`              → success rate, e₀ 0.01
 *   failure `result[0] > 0.05`               → error rate, e₀ 0.05
 *   success `len(result) == 0 || result[0] >= 0.95` → success rate, e₀ 0.05
 */
export function proportionThreshold(
  condition: string,
  which: 'successCondition' | 'failureCondition',
): ProportionThreshold | undefined {
  const c = numberComparisons(condition).find((x) => x.ofResult && x.op !== '==' && x.op !== '!=');
  if (!c || !(c.value > 0 && c.value < 1)) return undefined;
  const wantsHigh = c.op === '>=' || c.op === '>';
  const success = which === 'successCondition' ? wantsHigh : !wantsHigh;
  return {
    errorThreshold: success ? 1 - c.value : c.value,
    measures: success ? 'success' : 'error',
    offset: c.index,
    text: c.text,
  };
}

/**
 * The condition with the number it compares against replaced: `result[0] >= 0.95` with 0.99 is
 * `result[0] >= 0.99`. A sweep's `--vary …successCondition=0.9,0.95,0.99` varies the threshold
 * of the condition as written: the one number `result` is compared with (so a guard such as
 * `len(result) == 0 || …` stays), else the one number of any comparison. When there is not
 * exactly one, the flag is refused, naming it.
 */
export function replaceThreshold(condition: string, value: number, flag: string): string {
  const all = numberComparisons(condition);
  const ofResult = all.filter((c) => c.ofResult);
  const hits = ofResult.length > 0 ? ofResult : all;
  if (hits.length !== 1)
    throw new InputError(
      `${flag}: the condition ${quote(condition)} compares with ${hits.length === 0 ? 'no number' : `${hits.length} numbers`}; a number replaces its threshold only when there is exactly one (give the whole condition as a string instead)`,
    );
  const h = hits[0]!;
  return `${condition.slice(0, h.numberAt)}${String(value)}${condition.slice(h.numberAt + h.numberLength)}`;
}
