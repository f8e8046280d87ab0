import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runScenarioFile } from '../helpers/runScenarioFile.js';

const fixture = (name: string) => path.join(REPO_ROOT, 'test/fixtures/scenarios', name);
// The fixtures apply the blog's overlays from scenarios/: the repository is their --root.
const play = (name: string, seed?: number) => runScenarioFile(fixture(name), seed, REPO_ROOT);

describe('load accounting', () => {
  it("hey's counts equal the increase of istio_requests_total, exactly (hey's -n/-c and -q/-z semantics)", async () => {
    const run = await play('accounting.yaml');
    const failed = run.result.expectations.filter((e) => !e.passed);
    expect(failed).toEqual([]);
    expect(run.report.hey['by-count']).toMatchObject({ requests: 200 });
  });
});

describe('weighted split', () => {
  const canary = (bodies: string[]) => bodies.filter((b) => b.includes('1.4.127')).length;

  it('2,000 requests at 20% and 40% land within 4.5 standard deviations of Bin(n, p)', async () => {
    for (const seed of [1, 2, 3]) {
      const run = await play('split.yaml', seed);
      for (const [id, p] of [
        ['at-20', 0.2],
        ['at-40', 0.4],
      ] as const) {
        const bodies = run.curls.get(id)!;
        expect(bodies).toHaveLength(2000);
        const k = canary(bodies);
        const sd = Math.sqrt(2000 * p * (1 - p));
        expect(Math.abs(k - 2000 * p), `${id} seed ${seed}: ${k}`).toBeLessThan(4.5 * sd);
      }
    }
  });
});
