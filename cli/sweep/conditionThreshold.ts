import { InputError, quote } from '../../sim/errors.js';

/** A comparison with a number literal on either side: `result[0] >= 0.95`, `0.95 <= result[0]`. */
const RIGHT = /(<=|>=|==|!=|<|>)(\s*)(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(?![\w.[])/g;
const LEFT = /(?<![\w.\]])(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(\s*)(<=|>=|==|!=|<|>)/g;

/**
 * The condition with the number it compares against replaced: `result[0] >= 0.95` with 0.99 is
 * `result[0] >= 0.99`. A sweep's `--vary …successCondition=0.9,0.95,0.99` varies the threshold
 * of the condition as written. The condition must compare with exactly one number literal (the
 * `0` of `result[0]` is an index, not a threshold); otherwise the flag is refused, naming it.
 */
export function replaceThreshold(condition: string, value: number, flag: string): string {
  const hits = [...condition.matchAll(RIGHT)].map((m) => ({
    at: m.index + m[1]!.length + m[2]!.length,
    len: m[3]!.length,
  }));
  for (const m of condition.matchAll(LEFT)) hits.push({ at: m.index, len: m[1]!.length });
  if (hits.length !== 1)
    throw new InputError(
      `${flag}: the condition ${quote(condition)} compares with ${hits.length === 0 ? 'no number' : `${hits.length} numbers`}; a number replaces its threshold only when there is exactly one (give the whole condition as a string instead)`,
    );
  const h = hits[0]!;
  return `${condition.slice(0, h.at)}${String(value)}${condition.slice(h.at + h.len)}`;
}
