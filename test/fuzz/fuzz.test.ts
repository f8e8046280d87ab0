// The fuzz targets with a fixed seed and a small budget, so every `npm test` tries a few hundred
// inputs per target and a failure shrinks to a minimal input. `npm run fuzz` runs the same
// targets over ≥ 100,000 inputs each and reports crashes, hangs and errors without a position.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { fuzzTargets } from './targets.js';

const RUNS = 300;

describe('fuzzing (fixed seed, bounded budget)', () => {
  for (const t of fuzzTargets()) {
    it(`${t.name}: no crash, no error without a position, properties hold`, async () => {
      await fc.assert(
        fc.asyncProperty(t.arbitrary, async (input) => {
          await t.check(input);
        }),
        { seed: 20261206, numRuns: RUNS },
      );
    });
  }
});
