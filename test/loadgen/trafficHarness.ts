import type { LatencyModel } from '../../app/index.js';
import { OpenTraffic } from '../../loadgen/openTraffic.js';
import { TrafficPump } from '../../loadgen/pacer.js';
import type { TrafficSpec } from '../../loadgen/TrafficSpec.js';
import type { VirtualTarget } from '../../loadgen/virtualHey.js';
import { Rng, VirtualClock } from '../../sim/clock/index.js';
import type { MeshRequest, Outcome } from '../../sim/mesh/index.js';

/** 2024-11-11T00:00:00Z: midnight, so daily curves read easily. */
export const START = Date.UTC(2024, 10, 11, 0, 0, 0);

export interface Batch {
  /** ms since the traffic started */
  at: number;
  req: MeshRequest;
  count: number;
}

/** A constant 20/s poisson GET unless `over` says otherwise. */
export function spec(over: Partial<TrafficSpec> = {}): TrafficSpec {
  return {
    id: 'users',
    url: 'http://checkout.127.0.0.1.nip.io/api/cart',
    namespace: 'default',
    rate: { kind: 'constant', perSecond: 20 },
    arrivals: 'poisson',
    method: 'GET',
    headers: {},
    ...over,
  };
}

export const FAST: LatencyModel = { medianMs: 0, sigma: 0, shiftMs: 12 };

/** Every request answers 200 with the given latency. */
export const allOk =
  (latency: LatencyModel = FAST) =>
  (_req: MeshRequest, count: number): Outcome[] => [
    { count, status: 200, body: 'ok', bytes: 2, clientLatency: latency },
  ];

/**
 * A fake world: a virtual clock and a target that records every batch (no mesh). `respond`
 * says how a batch ends (default: all 200 in 12 ms).
 */
export function harness(
  s: TrafficSpec,
  opts: {
    seed?: number | string;
    tickMs?: number;
    startMs?: number;
    respond?: (req: MeshRequest, count: number) => Outcome[];
    /** The world's steadyUntil (epoch ms): given, load sends whole intervals, caught up before every timer (as runScenario wires it). */
    steadyUntil?: (now: number) => number;
  } = {},
) {
  const clock = new VirtualClock(opts.startMs ?? START);
  const target = recordingTarget(clock, opts.respond ?? allOk(), opts.steadyUntil);
  const { batches } = target;
  const traffic = new OpenTraffic(target, s, new Rng(opts.seed ?? 1), opts.tickMs ?? 1000);
  traffic.start();
  return { clock, batches, traffic, run: (ms: number) => clock.advance(ms) };
}

/** Requests per tick time (ms since the start), all kinds together. */
export function perTick(batches: readonly Batch[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const b of batches) m.set(b.at, (m.get(b.at) ?? 0) + b.count);
  return m;
}

export const total = (batches: readonly Batch[]): number => batches.reduce((a, b) => a + b.count, 0);

/** A VirtualTarget on `clock` that records every batch; with `steadyUntil`, a pump caught up before every timer. */
export function recordingTarget(
  clock: VirtualClock,
  respond: (req: MeshRequest, count: number) => Outcome[] = allOk(),
  steadyUntil?: (now: number) => number,
): VirtualTarget & { batches: Batch[] } {
  const t0 = clock.now();
  const batches: Batch[] = [];
  const pump = steadyUntil ? new TrafficPump() : undefined;
  if (pump) clock.beforeTimer = (id) => pump.catchUp(true, id);
  return {
    batches,
    now: () => clock.now(),
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (id) => clock.clearTimeout(id),
    dispatch: (req, count) => {
      batches.push({ at: clock.now() - t0, req, count });
      return respond(req, count);
    },
    ...(steadyUntil ? { steadyUntil: () => steadyUntil(clock.now()), pump } : {}),
  };
}
