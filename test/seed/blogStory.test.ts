import { beforeAll, describe, expect, it } from 'vitest';
import { BLOG_SCENARIO, runScenarioFile, type ScenarioRun } from '../helpers/runScenarioFile.js';
import { compareBlocks, parseGetRolloutOutput, readBlogBlocks } from './blogBlocks.js';

// The seed's `kubectl argo rollouts get rollout` blocks, reproduced by the blog scenario
// (scenarios/blog/scenario.yaml, gets with id blog-N) and compared field by field: status,
// message, step, weights, images, replica counts, tree shape and tags. Pod-name suffixes and
// ages aside; ReplicaSet hashes must map one-to-one across the whole story (revision 3 reuses
// revision 1's hash in the post, so ours must too).
let run: ScenarioRun;
beforeAll(async () => {
  run = await runScenarioFile(BLOG_SCENARIO);
});

describe('the blog story, block by block', () => {
  const blocks = readBlogBlocks();
  const hashes = new Map<string, string>();

  it('finds the ten get-rollout blocks of the post', () => {
    expect(blocks.length).toBe(10);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))('block %i matches the post', (n, block) => {
    const ours = run.gets.get(`blog-${n}`);
    expect(ours, `no get with id blog-${n} in the scenario`).toBeDefined();
    const diffs = compareBlocks(block, parseGetRolloutOutput(ours!), { hashes });
    expect(diffs, `blog block ${n} (line ${block.line}) vs ours:\n${ours}`).toEqual([]);
  });

  it('holds every expectation of the scenario', () => {
    const failed = run.result.expectations.filter((e) => !e.passed);
    expect(failed).toEqual([]);
  });
});

describe('the curl loops split traffic by VirtualService weight', () => {
  const count = (bodies: string[], version: string) =>
    bodies.filter((b) => b === `This is a silly demo version ${version}\n`).length;

  it('20 requests at 20% and 40%: canary counts within binomial bounds, all 200s', () => {
    const at20 = run.curls.get('curl-20')!;
    const at40 = run.curls.get('curl-40')!;
    expect(at20.length).toBe(20);
    expect(count(at20, '1.4.126') + count(at20, '1.4.127')).toBe(20);
    // P(X ∉ [0, 10]) for Bin(20, 0.2) < 3e-4; for Bin(20, 0.4), P(X ∉ [1, 15]) < 2e-4.
    expect(count(at20, '1.4.127')).toBeLessThanOrEqual(10);
    expect(count(at40, '1.4.127')).toBeGreaterThanOrEqual(1);
    expect(count(at40, '1.4.127')).toBeLessThanOrEqual(15);
  });

  it('after promotion every response comes from 1.4.127', () => {
    expect(count(run.curls.get('curl-100')!, '1.4.127')).toBe(20);
  });
});
