import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, runScenarioFile } from '../helpers/runScenarioFile.js';

// scenarios/drills/blue-green: the whole blue-green story on the virtual clock.

const DRILL = path.join(REPO_ROOT, 'scenarios/drills/blue-green/scenario.yaml');

describe('the blue-green drill', () => {
  it('holds its expectations, byte for byte the same twice', async () => {
    const a = await runScenarioFile(DRILL);
    expect(a.result.expectations.filter((e) => !e.passed)).toEqual([]);
    expect(a.result.expectations).toHaveLength(6);
    const b = await runScenarioFile(DRILL);
    expect(b.output).toBe(a.output);
  });

  it('shows the plugin views of each stage', async () => {
    const run = await runScenarioFile(DRILL);
    const get = (id: string) => run.gets.get(id)!;
    expect(get('paused')).toContain(
      'Status:          ॥ Paused\nMessage:         BlueGreenPause\nStrategy:        BlueGreen\nImages:          ghcr.io/vfarcic/silly-demo:1.4.126 (stable, active)\n                 ghcr.io/vfarcic/silly-demo:1.4.127 (preview)\n',
    );
    expect(get('paused')).toMatch(/α silly-demo-\w+-2-pre +AnalysisRun +✔ Successful +\S+ +✔ 3\n/);
    expect(get('post-promotion')).toContain('Message:         waiting for analysis to complete\n');
    expect(get('post-promotion')).toMatch(/α silly-demo-\w+-2-post +AnalysisRun +◌ Running/);
    expect(get('promoted')).toMatch(/⧉ silly-demo-\w+ +ReplicaSet +✔ Healthy +\S+ +delay:\d+s\n/);
    expect(get('aborted')).toMatch(/⧉ silly-demo-\w+ +ReplicaSet +✔ Healthy +\S+ +preview,delay:\d+s\n/);
    expect(get('aborted-scaled-down')).toMatch(
      /⧉ silly-demo-\w+ +ReplicaSet +• ScaledDown +\S+ +preview,delay:passed\n/,
    );
    expect(get('undone')).toContain('# revision:4\n');
    expect(run.output).toContain("rollout 'silly-demo' undo\n");
    expect(run.output).toContain("rollout 'silly-demo' restarts in 0s\n");
    // The users (active host) never got a 5xx: 1.4.129 was only ever behind the preview.
    const users = run.report.hey['users'] as { statusCodes: Record<string, number> };
    expect(Object.keys(users.statusCodes)).toEqual(['200']);
  });
});
