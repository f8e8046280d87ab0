import { fixedLatency } from '../latency.js';
import type { BuiltinAnswer } from './builtinTypes.js';
import { decodeColorParameters, type ColorParameters } from './colorParameters.js';
import { GO_TEXT, NOSNIFF, reduceWeights } from './goHttp.js';
import { goSleepMs } from './goTime.js';

/** The colours rollouts-demo knows, in main.go's order (its random pick is uniform over them). */
export const ROLLOUTS_DEMO_COLORS = ['red', 'orange', 'yellow', 'green', 'blue', 'purple'] as const;

/** The process-wide settings `/color` reads, from the environment at start. */
export interface ColorSettings {
  /** COLOR; empty: a random colour per request. */
  color: string;
  /** ERROR_RATE (strconv.Atoi); 0 when unset. */
  errorRate: bigint;
  /** LATENCY in seconds (strconv.ParseFloat); 0 when unset. */
  latencySeconds: number;
}

/**
 * `fmt.Fprintf(w, msg)` with no arguments, as rollouts-demo writes a JSON error: each `%verb`
 * prints as `%!verb(MISSING)`, `%%` as `%`, a trailing `%` as `%!(NOVERB)` — so a body with a
 * stray `%` comes back as `invalid character '%!'(MISSING) looking for beginning of value`.
 */
export function goFprintfNoArgs(msg: string): string {
  return msg.replace(/%[-+# 0]*(?:\d+)?(?:\.\d*)?([\s\S])?/g, (_m, verb: string | undefined) =>
    verb === undefined ? '%!(NOVERB)' : verb === '%' ? '%' : `%!${verb}(MISSING)`,
  );
}

/**
 * The answers of main.go's `getColor` to a request with `body`. A body other than `""` and the
 * four characters `"[]"` is decoded as `[]colorParameters`; a decoding error is a 500 carrying
 * Go's error text. Otherwise the colour (COLOR, or each of the six with weight 1) is answered
 * after its delay — the last body entry for that colour's `delayLength` if > 0, else LATENCY,
 * truncated to whole seconds — with 500 when `return500 > 0 && return500 >= rand.Intn(100)`
 * (p+1 in 100, so 30 → 31 %), else when `ERROR_RATE > 0 && rand.Intn(100) >= ERROR_RATE`
 * (100−E in 100: the bad-* images' 15 fails 85 %). Weights are per 10,000 requests, reduced:
 * return500 30 on a bad image → 500 with 31·100 + 69·85 = 8,965 of 10,000.
 */
export function colorAnswers(s: ColorSettings, body: string | undefined): BuiltinAnswer[] {
  let entries: ColorParameters[] = [];
  if (body !== undefined && body !== '' && body !== '"[]"') {
    const decoded = decodeColorParameters(body);
    if ('error' in decoded)
      return [{ weight: 1, status: 500, body: goFprintfNoArgs(decoded.error), contentType: GO_TEXT }];
    entries = decoded.entries;
  }
  const colours = s.color !== '' ? [s.color] : ROLLOUTS_DEMO_COLORS;
  const e = s.errorRate;
  const envErrors = e > 0n && e < 100n ? 100 - Number(e) : 0;
  const answers: BuiltinAnswer[] = [];
  for (const colour of colours) {
    let entry: ColorParameters | undefined;
    for (const p of entries) if (p.color === colour) entry = p;
    const requested = entry !== undefined && entry.delayLength > 0;
    const delayMs = goSleepMs(requested ? entry!.delayLength : s.latencySeconds);
    const p = entry?.return500;
    const bodyErrors = p !== undefined && p > 0n ? Math.min(Number(p), 99) + 1 : 0;
    const fail = bodyErrors * 100 + (100 - bodyErrors) * envErrors;
    const base: Omit<BuiltinAnswer, 'weight' | 'status'> = {
      body: `"${colour}"`,
      contentType: GO_TEXT,
      headers: NOSNIFF,
      ...(delayMs > 0 ? { latency: fixedLatency(delayMs) } : {}),
      ...(requested && delayMs > 0 ? { requestedLatency: true as const } : {}),
    };
    answers.push({ ...base, weight: 10_000 - fail, status: 200 }, { ...base, weight: fail, status: 500 });
  }
  return reduceWeights(answers);
}
