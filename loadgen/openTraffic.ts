import type { Rng } from '../sim/clock/index.js';
import { Arrivals } from './arrivals.js';
import { Pacer } from './pacer.js';
import { rateCurve, type RateCurve } from './rateCurve.js';
import { TrafficTally, type TrafficMixResult, type TrafficResult } from './TrafficResult.js';
import { trafficKinds, type TrafficKind } from './trafficRequests.js';
import type { TrafficSpec } from './TrafficSpec.js';
import type { VirtualTarget } from './virtualHey.js';

/**
 * Open-model traffic on the virtual clock: requests arrive at the spec's rate whatever the
 * latency (unlike hey's closed loop, where a slow answer delays the next request). Each send (a
 * tick, or a whole stationary interval: see Pacer) takes the arrivals of the time since the last —
 * a Poisson count with mean ∫ rate over it, or exactly ⌊∫ rate⌋ so far in uniform mode — splits
 * them over the mix, and sends each kind's requests to the mesh as one batch, so an hour at a
 * thousand requests a second is at most 3,600 sends of a few batches, never a loop per request. Draws come from the injected Rng only: the same
 * spec and seed send the same batches.
 */
export class OpenTraffic {
  readonly startMs: number;
  private readonly endMs: number | undefined;
  private readonly kinds: TrafficKind[];
  private readonly tallies: TrafficTally[];
  private readonly all = new TrafficTally();
  private readonly curve: RateCurve;
  private readonly arrivals: Arrivals;
  private readonly pacer: Pacer;
  private stoppedMs: number | undefined;
  /** The result once it has ended (by `duration` or `stop()`). */
  finished: TrafficResult | undefined;
  /** Called once, when it ends by itself or is stopped. */
  onDone: ((r: TrafficResult) => void) | undefined;

  constructor(
    private readonly target: VirtualTarget,
    readonly spec: TrafficSpec,
    rng: Rng,
    private readonly tickMs: number,
  ) {
    if (!(tickMs > 0)) throw new Error(`OpenTraffic: tick must be positive, got ${tickMs}`);
    const kinds = trafficKinds(spec);
    if (typeof kinds === 'string') throw new Error(kinds);
    this.kinds = kinds;
    this.tallies = kinds.map(() => new TrafficTally());
    this.startMs = target.now();
    this.endMs = spec.durationMs !== undefined ? this.startMs + spec.durationMs : undefined;
    this.curve = rateCurve(spec.rate, this.startMs);
    this.arrivals = new Arrivals(
      this.curve,
      spec.arrivals,
      kinds.map((k) => k.weight),
      rng,
    );
    this.pacer = new Pacer(target, this.startMs, tickMs, this.endMs, {
      send: (from, to) => this.send(from, to),
      tick: () => this.tick(),
    });
  }

  /** Starts ticking (call right after construction: the start time is the construction's). */
  start(): void {
    if (!this.finished) this.pacer.start();
  }

  /** Requests sent so far, transport errors included (cheap live counters for conditions). */
  get sent(): number {
    return this.all.requests;
  }

  /** Responses so far by status code. */
  get statusCounts(): ReadonlyMap<number, number> {
    return this.all.statusCounts;
  }

  /** Transport errors so far (no response). */
  get errorCount(): number {
    return this.all.errors;
  }

  get running(): boolean {
    return this.finished === undefined;
  }

  /** Stops now: the arrivals of the part of a tick already elapsed are sent first. */
  stop(): TrafficResult {
    if (this.finished) return this.finished;
    this.pacer.sendToNow();
    return this.finish(this.target.now());
  }

  /** The result so far (the traffic goes on); the final result once it has ended. */
  snapshot(): TrafficResult {
    if (this.finished) return this.finished;
    return this.result(this.target.now());
  }

  private tick(): void {
    const now = this.target.now();
    this.pacer.sendToNow();
    if (this.endMs !== undefined && now >= this.endMs) this.finish(now);
    else this.pacer.schedule();
  }

  private send(from: number, to: number): void {
    const counts = this.arrivals.take(from - this.startMs, to - this.startMs);
    for (let i = 0; i < counts.length; i++) {
      const n = counts[i]!;
      if (n <= 0) continue;
      const outcomes = this.target.dispatch(this.kinds[i]!.request, n);
      this.tallies[i]!.add(n, outcomes);
      this.all.add(n, outcomes);
    }
  }

  private finish(now: number): TrafficResult {
    this.pacer.stop();
    this.stoppedMs = now;
    this.finished = this.result(now);
    this.onDone?.(this.finished);
    return this.finished;
  }

  private result(now: number): TrafficResult {
    const running = this.stoppedMs === undefined;
    const elapsed = (this.stoppedMs ?? now) - this.startMs;
    const mix: Record<string, TrafficMixResult> = {};
    if (this.spec.mix)
      this.kinds.forEach((k, i) => {
        mix[k.name] = { share: k.share, ...this.tallies[i]!.counts() };
      });
    return {
      id: this.spec.id,
      running,
      startedAt: new Date(this.startMs).toISOString(),
      stoppedAt: running ? null : new Date(this.stoppedMs!).toISOString(),
      seconds: elapsed / 1000,
      ratePerSecond: running ? round6(this.curve.rateAt(elapsed)) : 0,
      expectedRequests: round6(this.curve.cumulative(elapsed)),
      ...this.all.counts(),
      mix,
    };
  }
}

/** Six decimals: enough for any rate, and reports do not print 199.99999999999997. */
function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
