import path from 'node:path';
import { NodeFileSystem } from '../../cli/io/NodeFileSystem.js';
import { scenarioSandbox } from '../../cli/io/sandboxes.js';
import { parseScenario } from '../../cli/scenario/parseScenario.js';
import { buildReport } from '../../cli/scenario/report.js';
import { runScenario, type RunResult } from '../../cli/scenario/runScenario.js';
import { validateScenario } from '../../cli/scenario/validateScenario.js';
import { renderRunEvent } from '../../cli/views/renderRunEvent.js';
import { OverlayFileSystem } from '../../sim/manifests/index.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const BLOG_SCENARIO = path.join(REPO_ROOT, 'scenarios/blog/scenario.yaml');

export interface ScenarioRun {
  result: RunResult;
  /** Everything the CLI would print. */
  output: string;
  /** Rendered `get rollout` blocks by their scenario id. */
  gets: Map<string, string>;
  /** Curl bodies by id. */
  curls: Map<string, string[]>;
  report: ReturnType<typeof buildReport>;
}

/**
 * Parses, validates and plays a scenario in-process, capturing what the CLI prints. Files are
 * read from below the scenario's folder, or `root` (as `run --root`).
 */
export async function runScenarioFile(file: string, seed?: number, root?: string): Promise<ScenarioRun> {
  const fs = new OverlayFileSystem(
    new NodeFileSystem(path.dirname(file), { cwd: REPO_ROOT, sandbox: scenarioSandbox(file, root) }),
  );
  const scenario = parseScenario(fs, path.basename(file));
  validateScenario(scenario, fs);
  let output = '';
  const gets = new Map<string, string>();
  const curls = new Map<string, string[]>();
  const curlIds = scenario.timeline
    .filter((a) => a.type === 'curl')
    .map((a) => (a.type === 'curl' ? a.id : undefined));
  let curlIndex = 0;
  const result = await runScenario(scenario, fs, {
    seed,
    emit: (e, world) => {
      const text = renderRunEvent(e, world);
      output += text;
      if (e.type === 'getRollout' && e.id) gets.set(e.id, text.slice(text.indexOf('\n') + 1));
      if (e.type === 'curl') {
        const id = curlIds[curlIndex++];
        if (id) curls.set(id, e.bodies);
      }
    },
  });
  return {
    result,
    output,
    gets,
    curls,
    report: buildReport(scenario, seed ?? scenario.settings.seed, result),
  };
}
