import { hasWidth, meanMs, normalQuantile, sampleAt, type LatencyModel } from '../app/index.js';
import type { Rng } from '../sim/clock/index.js';
import type { MeshRequest, Outcome } from '../sim/mesh/index.js';
import { parseRequestUrl } from '../sim/mesh/index.js';
import { createHeyAccumulator, type HeyAccumulator, type HeyResult } from './HeyResult.js';
import { heyHeaderMap, perWorkerRequests, type HeyOptions } from './heyFlags.js';
import { Pacer, type TrafficPump } from './pacer.js';

/** What a simulated hey needs from the world: its clock and the mesh. */
export interface VirtualTarget {
  now(): number;
  setTimeout(fn: () => unknown, ms: number): number;
  clearTimeout(id: number): void;
  /** Sends `count` identical requests now; how they ended, grouped. */
  dispatch(req: MeshRequest, count: number): Outcome[];
  /**
   * Until when (epoch ms) the world answers requests as it does now: `now()` when it is not
   * stationary (load then ticks), infinity when nothing timed is ahead. With `pump`, load sends
   * an interval at a time (see Pacer); without, it ticks.
   */
  steadyUntil?(): number;
  /** Where a load registers to catch up before every event. */
  pump?: TrafficPump;
}

/** Latency strata per group: a batch's latencies are drawn as this many quantile slices. */
const STRATA = 8;
const EQUAL = new Array<number>(STRATA).fill(1);

/**
 * hey's model on the virtual clock: `-c` workers each send the next request when the previous one
 * answers (or on their `-q` ticker), until `-n` is spent or `-z` ends. Each send (a tick, or a
 * whole stationary interval: see Pacer) carries the number of requests the workers complete in
 * it — exact integers, the fraction carried to the next — through the mesh in one batch, so a
 * million requests cost a few hundred batches. Latencies come from the mesh's model in quantile
 * strata.
 */
export class VirtualHey {
  private readonly acc: HeyAccumulator = createHeyAccumulator();
  private readonly req: MeshRequest;
  private readonly startMs: number;
  private readonly endMs: number | undefined;
  private readonly limit: number | undefined;
  private readonly pacer: Pacer;
  private carry = 0;
  private meanLatencyMs = 8;
  private connected = 0;
  /** Requests sent so far (equal, at the end, to what the gateway counted). */
  sent = 0;
  /** Responses so far by status code, and transport errors (cheap live counters for conditions). */
  readonly statusCounts = new Map<number, number>();
  errorCount = 0;
  finished: HeyResult | undefined;
  onDone: ((r: HeyResult) => void) | undefined;

  constructor(
    private readonly target: VirtualTarget,
    private readonly opts: HeyOptions,
    private readonly rng: Rng,
    private readonly tickMs: number,
  ) {
    const url = parseRequestUrl(opts.url);
    if (typeof url === 'string') throw new Error(url);
    // -host sets the Host header, which is what the gateway routes on.
    this.req = {
      url: opts.host ? { ...url, host: opts.host.replace(/:\d+$/, '').toLowerCase() } : url,
      method: opts.method,
      headers: heyRequestHeaders(opts),
    };
    this.startMs = target.now();
    this.endMs = opts.z > 0 ? this.startMs + opts.z : undefined;
    this.limit = opts.z > 0 ? undefined : perWorkerRequests(opts) * opts.c;
    this.pacer = new Pacer(target, this.startMs, tickMs, this.endMs, {
      send: (from, to) => this.send(from, to),
      tick: () => this.tick(),
    });
  }

  start(): void {
    this.pacer.start();
  }

  /** When `-n` is spent at the current rate (infinity under `-z`). */
  private horizon(): number {
    if (this.limit === undefined) return Infinity;
    const left = this.limit - this.sent - this.carry - 1e-9;
    return this.pacer.lastMs + (Math.max(0, left) * 1000) / this.rate();
  }

  /** Requests per second the workers can complete now. */
  private rate(): number {
    const perWorker = 1000 / this.meanLatencyMs;
    const capped = this.opts.q > 0 ? Math.min(this.opts.q, perWorker) : perWorker;
    return capped * this.opts.c;
  }

  private tick(): void {
    const now = this.target.now();
    this.pacer.sendToNow();
    const over =
      (this.endMs !== undefined && now >= this.endMs) ||
      (this.limit !== undefined && this.sent >= this.limit);
    if (over) this.finish(now);
    else this.pacer.schedule(this.horizon());
  }

  private send(from: number, to: number): void {
    const dt = to - from;
    const n = this.carry + (this.rate() * dt) / 1000;
    let count = Math.floor(n + 1e-9);
    this.carry = Math.max(0, n - count);
    if (this.limit !== undefined) count = Math.min(count, this.limit - this.sent);
    if (count <= 0) return;
    this.sent += count;
    let latencySum = 0;
    let latencyN = 0;
    // hey sees a status, a size and a latency, not which pod answered: the pods' groups that share
    // all three are one group to stratify.
    const seen: Outcome[] = [];
    for (const o of this.target.dispatch(this.req, count)) {
      if (o.status === 0) {
        this.acc.addErrors(o.error ?? 'error', o.count);
        this.errorCount += o.count;
        continue;
      }
      this.statusCounts.set(o.status, (this.statusCounts.get(o.status) ?? 0) + o.count);
      latencySum += meanMs(o.clientLatency) * o.count;
      latencyN += o.count;
      const same = seen.findIndex(
        (x) => x.status === o.status && x.bytes === o.bytes && x.clientLatency === o.clientLatency,
      );
      if (same >= 0) seen[same] = { ...seen[same]!, count: seen[same]!.count + o.count };
      else seen.push(o);
    }
    for (const o of seen) this.record(o);
    if (latencyN > 0) this.meanLatencyMs = latencySum / latencyN;
  }

  /** Adds a batch's responses in quantile strata of its latency model. */
  private record(o: Outcome): void {
    const small = o.count <= STRATA;
    const counts = small ? undefined : this.rng.multinomial(o.count, EQUAL);
    const strata = small ? o.count : STRATA;
    for (let i = 0; i < strata; i++) {
      const c = counts ? counts[i]! : 1;
      if (c === 0) continue;
      const d = small
        ? sampleAt(o.clientLatency, this.rng.normal(), hasWidth(o.clientLatency) ? this.rng.next() : 0)
        : sliceSample(o.clientLatency, i, STRATA, this.rng);
      // hey's httptrace phases: the first request of each worker dials its keep-alive connection.
      const phases = { reqWrite: 0.01, respWait: d * 0.94, respRead: d * 0.06 - 0.01, conn: 0 };
      const dialing = this.opts.disableKeepAlive ? c : Math.min(c, Math.max(0, this.opts.c - this.connected));
      if (dialing > 0) {
        this.connected += dialing;
        this.acc.addBulk({
          count: dialing,
          statusCode: o.status,
          durationMs: d,
          contentLength: o.bytes,
          phases: { ...phases, conn: d * 0.3 },
        });
      }
      if (c > dialing)
        this.acc.addBulk({
          count: c - dialing,
          statusCode: o.status,
          durationMs: d,
          contentLength: o.bytes,
          phases,
        });
    }
  }

  /** Ctrl-C: stops before the next request and reports (in-flight requests are done within the tick). */
  stop(): HeyResult {
    if (this.finished) return this.finished;
    this.pacer.sendToNow();
    return this.finish(this.target.now());
  }

  /** What hey would report if stopped now (the run goes on). */
  snapshot(): HeyResult {
    if (this.finished) return this.finished;
    return this.acc.finish(this.target.now() - this.startMs);
  }

  get running(): boolean {
    return this.finished === undefined;
  }

  private finish(now: number): HeyResult {
    this.pacer.stop();
    this.finished = this.acc.finish(now - this.startMs);
    this.onDone?.(this.finished);
    return this.finished;
  }
}

/** A latency drawn uniformly within the i-th of k equal-probability slices of the model. */
function sliceSample(m: LatencyModel, i: number, k: number, rng: Rng): number {
  const p = (i + rng.next()) / k;
  const z = normalQuantile(Math.min(Math.max(p, 1e-12), 1 - 1e-12));
  return sampleAt(m, z, hasWidth(m) ? rng.next() : 0);
}

/**
 * The headers hey 0.1.4 sends, as the mesh's `match` rules see them (lower-case names):
 * Content-Type first (so -H can replace it), -H in order (a later one wins), -A, the User-Agent
 * (`<-H User-Agent> hey/0.0.1`, or `<-U> hey/0.0.1`), then what Go's transport adds — Basic
 * credentials from the URL and `Accept-Encoding: gzip`. `-H Host:` is ignored as Go ignores it
 * (`-host` sets the Host); `-a` is never sent (hey replaces the header map after setting it).
 */
export function heyRequestHeaders(opts: HeyOptions): Record<string, string> {
  const h = new Map([...heyHeaderMap(opts)].map(([name, value]) => [name.toLowerCase(), value]));
  h.delete('host');
  try {
    const u = new URL(opts.url);
    if ((u.username !== '' || u.password !== '') && !h.has('authorization'))
      h.set(
        'authorization',
        `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`,
      );
  } catch {
    // An unparsable URL fails before any request is sent.
  }
  if (!h.has('accept-encoding') && !h.has('range') && opts.method !== 'HEAD' && !opts.disableCompression)
    h.set('accept-encoding', 'gzip');
  return Object.fromEntries(h);
}
