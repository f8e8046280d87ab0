import { stringify } from 'yaml';
import { formatGoDuration } from '../../go/duration.js';
import { OverlayFileSystem, type FileSystem } from '../../sim/manifests/index.js';
import { parseScenario } from '../scenario/parseScenario.js';
import type { Scenario } from '../scenario/types.js';
import type { MatrixTarget } from './matrixTarget.js';
import type { Situation } from './situations.js';

/** The in-memory folder a row's scenario and manifests live in (never written to disk). */
const DIR = 'matrix';
const MANIFESTS = `${DIR}/inputs.yaml`;

const NOTHING: FileSystem = {
  read: () => undefined,
  isDirectory: (p) => p === DIR,
  display: (p) => p,
};

/** How long the rollout may take to become Healthy before the update, and a load's id. */
const SETTLE = '15m';
export const LOAD_ID = 'users';

/**
 * The row's scenario as YAML: the inputs applied, the load at `rps` (unless the situation has
 * none), the Rollout Healthy, the situation's actions, the image updated, then the clock runs
 * until the rollout promotes, aborts or pauses on an Inconclusive run, or the budget ends.
 */
export function rowScenarioYaml(t: MatrixTarget, s: Situation, rps: number): string {
  const ro = JSON.stringify(t.rollout);
  const ctx = {
    rollout: t.rollout,
    canaryImage: t.canaryImage,
    scrapeIntervalMs: t.scrapeIntervalMs,
    firstMeasurementMs: t.firstMeasurementMs,
  };
  const timeline: Record<string, unknown>[] = [{ apply: { file: 'inputs.yaml' } }];
  if (!s.recipe.noTraffic)
    timeline.push({
      traffic: {
        id: LOAD_ID,
        url: t.url,
        rate: `${rps}/s`,
        arrivals: 'uniform',
        ...(t.from ? { from: t.from } : {}),
      },
    });
  timeline.push({ waitUntil: { condition: `rollouts[${ro}].phase == "Healthy"`, timeout: SETTLE } });
  timeline.push(...(s.recipe.before?.(ctx) ?? []));
  timeline.push({
    setImage: { rollout: t.rollout, container: t.container, image: t.canaryImage, namespace: t.namespace },
  });
  timeline.push(...(s.recipe.after?.(ctx) ?? []));
  timeline.push({
    waitUntil: {
      condition: `rollouts[${ro}].phase == "Healthy" || rollouts[${ro}].phase == "Degraded" || rollouts[${ro}].message == "InconclusiveAnalysisRun"`,
      timeout: formatGoDuration(t.budgetMs),
    },
  });
  return stringify({ ...t.header, name: `matrix: ${s.id}`, timeline });
}

/** The row's scenario, read by the scenario parser (every check of a hand-written one applies), and its files. */
export function rowScenario(
  t: MatrixTarget,
  s: Situation,
  rps: number,
): { scenario: Scenario; fs: OverlayFileSystem } {
  const fs = new OverlayFileSystem(NOTHING);
  fs.write(MANIFESTS, t.manifests);
  const file = `${DIR}/${s.id}.yaml`;
  fs.write(file, rowScenarioYaml(t, s, rps));
  return { scenario: parseScenario(fs, file), fs };
}
