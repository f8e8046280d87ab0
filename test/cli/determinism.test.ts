import { describe, expect, it } from 'vitest';
import { BLOG_SCENARIO, runScenarioFile } from '../helpers/runScenarioFile.js';

describe('determinism', () => {
  it('the same scenario and seed give byte-identical output and JSON report', async () => {
    const a = await runScenarioFile(BLOG_SCENARIO);
    const b = await runScenarioFile(BLOG_SCENARIO);
    expect(b.output).toBe(a.output);
    expect(JSON.stringify(b.report)).toBe(JSON.stringify(a.report));
    expect(a.output.length).toBeGreaterThan(10_000);
  });

  it('another seed changes the draws (pod names, curl splits) but not the story', async () => {
    const a = await runScenarioFile(BLOG_SCENARIO, 1);
    const b = await runScenarioFile(BLOG_SCENARIO, 2);
    expect(b.output).not.toBe(a.output);
    expect(a.result.passed).toBe(true);
    expect(b.result.passed).toBe(true);
  });
});
