import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NodeFileSystem } from '../../cli/io/NodeFileSystem.js';
import { InputError } from '../../sim/errors.js';
import { loadManifestFile, type ManifestObject } from '../../sim/manifests/index.js';
import type { RolloutSpec } from '../../sim/rollout/index.js';
import { DEFAULT_WORLD_OPTIONS, World } from '../../sim/world.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

/** Argo Rollouts' own examples (verbatim, Apache-2.0), read where CI has them: beside the clone. */
const EXAMPLES = path.resolve(REPO_ROOT, '../shared/argo-examples');

/**
 * The examples whose Rollout uses Istio or no traffic router and needs nothing canarysim does not
 * simulate: each must rehearse unmodified. (The others are in REFUSED with the field that stops
 * them; `canarysim lint` reports those as findings — see test/lint.)
 */
const REHEARSED = [
  'rollout-canary.yaml',
  'rollout-bluegreen.yaml',
  'rollout-rolling-update.yaml',
  'rollout-template-ref.yaml',
  'workload-ref/workload-ref.yaml',
  'istio/istio-subset-split.yaml',
  'istio/istio-mirror.yaml',
  'notifications/rollout-canary.yaml',
];

/** Rollouts with Istio or no router that need what is not simulated, and the field a run names. */
const REFUSED: Record<string, RegExp> = {
  'rollout-experiment-step.yaml': /experiment/,
  'rollout-baseline-vs-canary.yaml': /experiment/,
  'rollout-canary-preview.yaml': /experiment/,
  'traffic-routing-experiment-step/istio-host-split-experiment-step.yaml': /experiment/,
};

function load(file: string): ManifestObject[] {
  const fs = new NodeFileSystem(path.dirname(path.join(EXAMPLES, file)));
  return loadManifestFile(fs, path.basename(file));
}

/** The next image of a release: rollouts-demo's next colour, or another tag. */
function nextImage(image: string): string {
  if (image.startsWith('argoproj/rollouts-demo:')) return 'argoproj/rollouts-demo:yellow';
  return `${image.replace(/:[^:/]*$/, '')}:next`;
}

async function until(w: World, cond: () => boolean, limitMs: number, step = 1000): Promise<boolean> {
  const end = w.now() + limitMs;
  while (!cond()) {
    if (w.now() >= end) return false;
    await w.clock.advance(step);
  }
  return true;
}

describe("Argo Rollouts' own examples rehearse unmodified", () => {
  for (const file of REHEARSED) {
    it(`${file}: applied, updated to a new image, promoted to the end`, async () => {
      const objects = load(file);
      const ro = objects.find((o) => o.kind === 'Rollout')!;
      const w = new World({ ...DEFAULT_WORLD_OPTIONS, namespaces: { default: { istioInjection: true } } });
      w.apply(objects, 'default');
      const r = () => w.rollout('default', ro.name)!;
      expect(await until(w, () => r().ro.status.phase === 'Healthy', 10 * 60_000)).toBe(true);
      const spec = ro.spec as RolloutSpec;
      const template = spec.template ?? w.cluster.getDeployment('default', spec.workloadRef!.name)!.template;
      const container = template.containers[0]!;
      const next = nextImage(container.image);
      const before = r().ro.status.stableRS;
      w.setImage('default', ro.name, container.name, next);
      // Promote through every pause (indefinite ones wait for us; timed ones end by themselves).
      const done = await until(
        w,
        () => {
          const s = r().ro.status;
          if (s.phase === 'Paused') r().actor.send({ type: 'PROMOTE', full: false });
          return s.phase === 'Healthy' && s.stableRS === s.currentPodHash && s.stableRS !== before;
        },
        60 * 60_000,
      );
      expect(done, `${file}: ${r().ro.status.phase} ${r().ro.status.message}`).toBe(true);
      const stable = w.cluster
        .listReplicaSets('default', ro.name)
        .find((rs) => rs.podTemplateHash === r().ro.status.stableRS)!;
      expect(stable.template.containers[0]!.image).toBe(next);
      expect(w.cluster.podsOf(stable).filter((p) => !p.terminating)).toHaveLength(spec.replicas);
    });
  }

  for (const [file, field] of Object.entries(REFUSED)) {
    it(`${file}: refused before it runs, naming the field it needs`, () => {
      let message = '';
      try {
        load(file);
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        message = e.message;
      }
      expect(message).toMatch(/not supported by canarysim/);
      expect(message).toMatch(field);
    });
  }
});
