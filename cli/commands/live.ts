import { parseGoDuration } from '../../go/duration.js';
import { InputError } from '../../sim/errors.js';
import { kustomizeBuild, loadManifestFile } from '../../sim/manifests/index.js';
import { inputFileSystem } from '../io/sandboxes.js';
import type { ControlClient } from '../live/controlApi.js';
import { renderGetRollout } from '../views/renderGetRollout.js';

export interface Out {
  write(s: string): unknown;
}

/**
 * The objects `apply -k DIR` / `apply -f FILE` sends, built here — kustomize included — from files
 * read below the input's sandbox (inputSandbox: the working directory, the input's own folder
 * outside it, or `root`), so serve reads no paths. Problems are InputErrors at the files' line:col.
 */
export function localManifests(o: {
  kustomize?: string;
  filename?: string;
  root?: string;
}): Record<string, unknown>[] {
  const objects =
    o.kustomize !== undefined
      ? kustomizeBuild(inputFileSystem(o.kustomize, { root: o.root, directory: true }), o.kustomize)
      : loadManifestFile(inputFileSystem(o.filename!, { root: o.root }), o.filename!);
  return objects.map((x) => x.raw);
}

/** `canarysim apply|delete -k DIR | -f FILE`: kubectl's lines, from the server. */
export async function applyCommand(
  client: ControlClient,
  verb: 'apply' | 'delete',
  o: { kustomize?: string; filename?: string; namespace: string; root?: string },
  out: Out,
): Promise<number> {
  if ((o.kustomize === undefined) === (o.filename === undefined))
    throw new InputError(`${verb}: expected exactly one of -k/--kustomize DIR or -f/--filename FILE`);
  const req = { objects: localManifests(o), namespace: o.namespace };
  const lines = verb === 'apply' ? await client.apply(req) : await client.delete(req);
  for (const l of lines) out.write(`${l}\n`);
  return 0;
}

/** `canarysim set image ROLLOUT CONTAINER=IMAGE`. */
export async function setImageCommand(
  client: ControlClient,
  rollout: string,
  spec: string,
  namespace: string,
  out: Out,
): Promise<number> {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1)
    throw new InputError(`invalid image ${JSON.stringify(spec)}: expected CONTAINER=IMAGE (or *=IMAGE)`);
  out.write(`${await client.setImage(namespace, rollout, spec.slice(0, eq), spec.slice(eq + 1))}\n`);
  return 0;
}

/** `canarysim promote|abort|retry|pause ROLLOUT`. */
export async function rolloutCommand(
  client: ControlClient,
  action: 'promote' | 'abort' | 'retry' | 'pause',
  rollout: string,
  namespace: string,
  out: Out,
  full = false,
): Promise<number> {
  out.write(`${await client.command(namespace, rollout, action, { full })}\n`);
  return 0;
}

/** `canarysim get rollout NAME` once. */
export async function getRolloutCommand(
  client: ControlClient,
  rollout: string,
  namespace: string,
  out: Out,
): Promise<number> {
  const d = await client.rollout(namespace, rollout);
  out.write(renderGetRollout(d.view, d.now, d.clock ? { clock: d.clock } : {}));
  return 0;
}

/**
 * `canarysim status ROLLOUT`: like the plugin's, prints `Status - Message` each time it changes
 * and exits 0 once Healthy; Degraded fails with the plugin's message; so does the timeout.
 */
export async function statusCommand(
  client: ControlClient,
  rollout: string,
  o: { namespace: string; timeout?: string; watch: boolean; pollMs?: number; signal?: AbortSignal },
  out: Out,
  err: Out,
): Promise<number> {
  const timeoutMs = o.timeout === undefined || o.timeout === '0' ? undefined : parseGoDuration(o.timeout);
  if (o.timeout !== undefined && o.timeout !== '0' && timeoutMs === undefined)
    throw new InputError(
      `invalid --timeout ${JSON.stringify(o.timeout)}: expected a duration such as 60s or 5m`,
    );
  const deadline = timeoutMs !== undefined ? Date.now() + timeoutMs : undefined;
  let last = '';
  for (;;) {
    const d = await client.rollout(o.namespace, rollout);
    const line = d.view.message ? `${d.view.status} - ${d.view.message}` : d.view.status;
    if (line !== last) out.write(`${line}\n`);
    last = line;
    if (d.view.status === 'Healthy') return 0;
    if (d.view.status === 'Degraded') {
      err.write(`Error: The rollout is in a degraded state with message: ${d.view.message}\n`);
      return 1;
    }
    if (!o.watch) return 0;
    if (deadline !== undefined && Date.now() >= deadline) {
      err.write('Error: Rollout status watch exceeded timeout\n');
      return 1;
    }
    if (o.signal?.aborted) return 1;
    await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
  }
}
