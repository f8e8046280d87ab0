import { parseHeyArgs } from '../../loadgen/heyFlags.js';
import type { Scenario } from '../scenario/types.js';
import type { DeclaredRate } from './checkSampleSize.js';

/**
 * The rate a scenario declares: its first open-model traffic at a constant rate, else its first
 * hey with a rate limit (-q per worker × -c workers). A closed-loop hey without -q sends as fast
 * as the answers come: no declared rate.
 */
export function scenarioRate(sc: Pick<Scenario, 'timeline'>, shown: string): DeclaredRate | undefined {
  for (const a of sc.timeline) {
    if (a.type === 'traffic' && a.spec.rate.kind === 'constant')
      return { perSecond: a.spec.rate.perSecond, source: `the traffic "${a.spec.id}" of ${shown}` };
    if (a.type === 'hey') {
      const h = parseHeyArgs(a.argv);
      if (h.q > 0) return { perSecond: h.q * h.c, source: `hey "${a.id}" of ${shown} (-c ${h.c} -q ${h.q})` };
    }
  }
  return undefined;
}
