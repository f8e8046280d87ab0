import { InputError } from '../../sim/errors.js';
import { loadManifestFile, type FileSystem, type ManifestObject } from '../../sim/manifests/index.js';
import { DEFAULT_WORLD_OPTIONS, World } from '../../sim/world.js';

/** Files in memory, for manifests a test writes as text. */
export function memoryFs(files: Record<string, string>): FileSystem {
  return {
    read: (p) => files[p],
    isDirectory: () => false,
    display: (p) => p,
  };
}

/** Parses one manifest file written as text (a position in any InputError names `name`). */
export function manifests(text: string, name = 'manifest.yaml'): ManifestObject[] {
  return loadManifestFile(memoryFs({ [name]: text }), name);
}

/** A world with namespace a-team (istio-injected), on the virtual clock, seed 1. */
export function world(argo: '1.7' | '1.8' | '1.9' = '1.9'): World {
  return new World({
    ...DEFAULT_WORLD_OPTIONS,
    argo,
    namespaces: { 'a-team': { istioInjection: true } },
  });
}

/** Applies manifests in a-team and lets the clock run `ms` (syncs, pod start-up). */
export async function apply(w: World, text: string, ms = 0): Promise<string[]> {
  const out = w.apply(manifests(text), 'a-team');
  await w.clock.advance(ms);
  return out;
}

/** Advances the clock until `cond` holds (checked every second), or throws after `timeoutMs`. */
export async function until(w: World, cond: () => boolean, timeoutMs = 600_000): Promise<number> {
  const from = w.now();
  while (!cond()) {
    if (w.now() - from >= timeoutMs) throw new Error(`condition not met within ${timeoutMs / 1000}s`);
    await w.clock.advance(1000);
  }
  return (w.now() - from) / 1000;
}

/** The message of an InputError thrown by `fn` (fails the test when it throws nothing or something else). */
export function inputError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('expected an InputError');
}

export const rollout = (w: World) => w.rollout('a-team', 'silly-demo')!.ro;
export const rss = (w: World) =>
  w.cluster
    .listReplicaSets('a-team', 'silly-demo')
    .sort(
      (a, b) =>
        Number(a.meta.annotations['rollout.argoproj.io/revision']) -
        Number(b.meta.annotations['rollout.argoproj.io/revision']),
    );
export const pods = (w: World) =>
  w.cluster.allPods().filter((p) => p.meta.namespace === 'a-team' && p.rs.startsWith('silly-demo-'));

/** The blue-green tests' active and preview Services (each ends in `---`, ready for a Rollout). */
export const SERVICES = `apiVersion: v1
kind: Service
metadata:
  name: silly-demo-active
spec:
  selector: {app: silly-demo}
  ports: [{name: http, port: 8080, targetPort: 8080, protocol: TCP}]
---
apiVersion: v1
kind: Service
metadata:
  name: silly-demo-preview
spec:
  selector: {app: silly-demo}
  ports: [{name: http, port: 8080, targetPort: 8080, protocol: TCP}]
---
`;
