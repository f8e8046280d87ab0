import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runScenarioFile } from '../helpers/runScenarioFile.js';

// scenarios/drills/dark-launch: setCanaryScale, setMirrorRoute, an inline analysis of shadow
// traffic (counted by the canary's sidecar only), setHeaderRoute for testers, then weights.

const DRILL = path.join(REPO_ROOT, 'scenarios/drills/dark-launch/scenario.yaml');

describe('the dark-launch drill', () => {
  it('holds its expectations, byte for byte the same twice', async () => {
    const a = await runScenarioFile(DRILL);
    expect(a.result.expectations.filter((e) => !e.passed)).toEqual([]);
    expect(a.result.expectations).toHaveLength(7);
    const b = await runScenarioFile(DRILL);
    expect(b.output).toBe(a.output);
  });

  it('judges 1.4.127 on mirrored requests alone, lets testers in by header, and stops 1.4.129 before users', async () => {
    const run = await runScenarioFile(DRILL);
    expect(run.curls.get('testers')).toEqual(Array(5).fill('This is a silly demo version 1.4.127\n'));
    expect(run.gets.get('testers')).toMatch(/Step: {10}5\/11\n {2}SetWeight: {5}0\n/);
    const [good, bad] = run.report.rollouts['silly-demo']!.analysisRuns;
    expect(good).toMatchObject({ kind: 'Step', phase: 'Successful' });
    expect(bad).toMatchObject({ kind: 'Step', phase: 'Failed' });
    expect(run.report.rollouts['silly-demo']!.message).toBe(
      'RolloutAborted: Rollout aborted update to revision 3: Step-based analysis phase error/failed: Metric "shadow-success-rate" assessed Failed due to failed (1) > failureLimit (0)',
    );
    // The users' load never got a 5xx: 1.4.129 only ever answered mirrored copies.
    const users = run.report.hey['bad-input'] as { statusCodes: Record<string, number> };
    expect(Object.keys(users.statusCodes)).toEqual(['400']);
  });
});
