import { InputError } from '../../sim/errors.js';
import type { ControlClient, ServerStatus } from '../live/controlApi.js';
import { renderGetAnalysisRuns, renderGetVirtualServices } from '../views/renderGetTable.js';
import type { Out } from './live.js';

/** `clock: 10× (simulated 2026-12-06T17:36:23Z)`, or `clock: paused at 10× (…)`. */
export function clockStatusLine(s: ServerStatus): string {
  const at = new Date(Math.floor(s.now / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  return `clock: ${s.paused ? `paused at ${s.speed}×` : `${s.speed}×`} (simulated ${at})`;
}

/** `canarysim clock [--speed X] [--pause | --resume]`: changes the live clock, then prints it. */
export async function clockCommand(
  client: ControlClient,
  o: { speed?: number; pause?: boolean; resume?: boolean },
  out: Out,
): Promise<number> {
  if (o.pause && o.resume) throw new InputError('clock: --pause and --resume cannot be given together');
  const change = {
    ...(o.speed !== undefined ? { speed: o.speed } : {}),
    ...(o.pause ? { paused: true } : o.resume ? { paused: false } : {}),
  };
  const s = Object.keys(change).length === 0 ? await client.status() : await client.clock(change);
  out.write(`${clockStatusLine(s)}\n`);
  return 0;
}

/** `canarysim hold ROLLOUT --step N | --clear`. */
export async function holdCommand(
  client: ControlClient,
  rollout: string,
  o: { namespace: string; step?: number; clear?: boolean },
  out: Out,
): Promise<number> {
  if ((o.step === undefined) === !o.clear)
    throw new InputError("hold: expected exactly one of --step N (the tree's Step: N/M) or --clear");
  out.write(`${await client.hold(o.namespace, rollout, o.clear ? null : o.step!)}\n`);
  return 0;
}

/**
 * `canarysim get analysisrun|virtualservice [NAME]`, as kubectl prints them. An empty list says
 * so on stderr, as kubectl does (`No resources found in a-team namespace.`), and exits 0.
 */
export async function getTableCommand(
  client: ControlClient,
  kind: 'analysisrun' | 'virtualservice',
  name: string | undefined,
  namespace: string,
  out: Out,
  err: Out,
): Promise<number> {
  const [rows, status] = await Promise.all([
    kind === 'analysisrun' ? client.analysisRuns(namespace, name) : client.virtualServices(namespace, name),
    client.status(),
  ]);
  if (rows.length === 0) {
    err.write(`No resources found in ${namespace} namespace.\n`);
    return 0;
  }
  out.write(
    kind === 'analysisrun'
      ? renderGetAnalysisRuns(rows as Parameters<typeof renderGetAnalysisRuns>[0], status.now)
      : renderGetVirtualServices(rows as Parameters<typeof renderGetVirtualServices>[0], status.now),
  );
  return 0;
}
