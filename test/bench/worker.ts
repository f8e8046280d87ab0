// One benchmark measurement in a fresh process, printed as JSON (so peak memory is its own).
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Counter, Histogram, Registry } from 'prom-client';
import { NodeFileSystem } from '../../cli/io/NodeFileSystem.js';
import { scenarioSandbox } from '../../cli/io/sandboxes.js';
import { packageRoot } from '../../cli/runCli.js';
import { parseScenario } from '../../cli/scenario/parseScenario.js';
import { runScenario } from '../../cli/scenario/runScenario.js';
import { validateScenario } from '../../cli/scenario/validateScenario.js';
import { OverlayFileSystem } from '../../sim/manifests/index.js';
import { ISTIO_LABEL_NAMES } from '../../sim/mesh/index.js';
import { Engine, parseExpr } from '../../sim/promql/index.js';
import { Storage } from '../../sim/tsdb/index.js';

/**
 * CPU time of this thread alone, in ms: the first field of Linux's /proc/thread-self/schedstat
 * (ns on a CPU). process.cpuUsage counts every thread — V8's concurrent GC and compiler threads
 * too — and Node 20 has no per-thread call; undefined off Linux.
 */
function mainThreadCpuMs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return undefined;
  }
}

async function scenario(
  name = 'istio-prometheus',
  opts: { file?: string; traceAnalysis?: boolean } = {},
): Promise<object> {
  const file = opts.file ?? path.join(packageRoot(), `test/bench/scenarios/${name}.yaml`);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  // The bench scenarios apply the blog's manifests from scenarios/: the package is their root.
  const fs = new OverlayFileSystem(
    new NodeFileSystem(path.dirname(file), { sandbox: scenarioSandbox(file, packageRoot()), snapshot: true }),
  );
  const sc = parseScenario(fs, path.basename(file));
  validateScenario(sc, fs);
  const result = await runScenario(sc, fs, { emit: () => {}, traceAnalysis: opts.traceAnalysis });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuMs();
  if (!result.passed) throw new Error(`bench scenario ${name}: expectations failed`);
  const heySent = [...result.hey.values()].reduce((a, h) => a + h.hey.sent, 0);
  const trafficSent = [...result.traffic.values()].reduce((a, t) => a + t.sent, 0);
  const requests = heySent + trafficSent;
  const hey = result.hey.get('load');
  const loadSeconds = hey
    ? (hey.result!.totalMs ?? 0) / 1000
    : result.traffic.get('load')!.snapshot().seconds;
  return {
    wallMs,
    /** User + system CPU time of the process: what a loaded machine distorts least. */
    cpuMs: (cpu.user + cpu.system) / 1000,
    /** The main thread's share of that (Linux), which is what a worker pool's core pays for. */
    mainCpuMs: main0 !== undefined && main1 !== undefined ? main1 - main0 : undefined,
    simulatedSeconds: (result.world.now() - sc.settings.startMs) / 1000,
    requests,
    offeredRps: requests / loadSeconds,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

/** Baseline: the naive way — one prom-client counter increment and histogram observation per request. */
function perRequest(): object {
  const reg = new Registry();
  const c = new Counter({
    name: 'istio_requests_total',
    help: 'h',
    labelNames: ISTIO_LABEL_NAMES,
    registers: [reg],
  });
  const h = new Histogram({
    name: 'istio_request_duration_milliseconds',
    help: 'h',
    labelNames: ISTIO_LABEL_NAMES,
    buckets: [0.5, 1, 5, 10, 25, 50, 100],
    registers: [reg],
  });
  const labels = Object.fromEntries(ISTIO_LABEL_NAMES.map((n) => [n, `${n}-value`])) as Record<
    (typeof ISTIO_LABEL_NAMES)[number],
    string
  >;
  const n = 200_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    c.inc(labels, 1);
    h.observe(labels, 3 + (i % 7));
  }
  return { wallMs: performance.now() - t0, requests: n };
}

// The PromQL data set: 1,000 series × 24 h at 15 s, as the issue specifies.
const STEP = 15_000;
const SAMPLES = (24 * 3_600_000) / STEP;
const T0 = 1_700_000_000_000;
const END = T0 + (SAMPLES - 1) * STEP;
const SUCCESS_RATE = 'sum(irate(x{a="b",c!~"5.*"}[5m])) / sum(irate(x{a="b"}[5m]))';
const seriesLabels = (i: number) => ({
  a: i % 10 === 0 ? 'z' : 'b',
  c: i % 7 === 0 ? '503' : '200',
  instance: `pod-${i}`,
});
const valueAt = (i: number, k: number) => k * ((i % 5) + 1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function timeMedian(fn: () => unknown, n: number): number {
  const xs: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

/** The success-rate query on the embedded engine; baseline: the same ratio by a hand-written loop. */
function promql(): object {
  const storage = new Storage();
  const refs: number[] = [];
  for (let i = 0; i < 1000; i++) refs.push(storage.seriesRef({ __name__: 'x', ...seriesLabels(i) }));
  for (let k = 0; k < SAMPLES; k++)
    for (let i = 0; i < 1000; i++) storage.append(refs[i]!, T0 + k * STEP, valueAt(i, k));
  const engine = new Engine();
  const expr = parseExpr(SUCCESS_RATE);
  timeMedian(() => engine.instantQuery(storage, expr, END), 5);
  const instantMs = timeMedian(() => engine.instantQuery(storage, expr, END), 21);
  const rangeMs = timeMedian(() => engine.rangeQuery(storage, expr, END - 3_600_000, END, STEP), 5);
  // Baseline: the last two samples of each selected series by hand (what irate needs), no engine.
  const sel = storage.select([{ name: '__name__', type: '=', value: 'x' }], END - 300_000, END);
  const handMs = timeMedian(() => {
    let ok = 0;
    let all = 0;
    for (const s of sel) {
      if (s.labels['a'] !== 'b') continue;
      const i = s.end - 1;
      const r = (s.vs[i]! - s.vs[i - 1]!) / ((s.ts[i]! - s.ts[i - 1]!) / 1000);
      all += r;
      if (!/^(?:5.*)$/.test(s.labels['c'] ?? '')) ok += r;
    }
    return ok / all;
  }, 21);
  const parses = 20_000;
  const p0 = performance.now();
  for (let i = 0; i < parses; i++) parseExpr(SUCCESS_RATE);
  const parsePerSec = parses / ((performance.now() - p0) / 1000);
  const stats = storage.stats();
  return { instantMs, rangeMs, handMs, parsePerSec, bytesPerSample: stats.sampleBytes / stats.samples };
}

/**
 * The same data and queries in a real Prometheus (Debian's 2.42), backfilled with promtool; its
 * own query `stats` give the inner evaluation time.
 */
async function realPrometheus(): Promise<object> {
  const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-bench-'));
  try {
    const om = createWriteStream(path.join(dir, 'data.om'));
    const write = (s: string) =>
      om.write(s) ? Promise.resolve() : new Promise<void>((r) => om.once('drain', () => r()));
    await write('# TYPE x counter\n');
    for (let i = 0; i < 1000; i++) {
      const l = seriesLabels(i);
      const head = `x_total{a="${l.a}",c="${l.c}",instance="${l.instance}"} `;
      let chunk = '';
      for (let k = 0; k < SAMPLES; k++) chunk += `${head}${valueAt(i, k)} ${(T0 + k * STEP) / 1000}\n`;
      await write(chunk);
    }
    await write('# EOF\n');
    await new Promise<void>((r) => om.end(() => r()));
    execFileSync(
      'promtool',
      ['tsdb', 'create-blocks-from', 'openmetrics', path.join(dir, 'data.om'), path.join(dir, 'data')],
      {
        stdio: 'ignore',
      },
    );
    const port = 19_000 + (process.pid % 1000);
    const prom = spawn(
      'prometheus',
      [
        '--config.file=/dev/null',
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        '--storage.tsdb.retention.time=100y',
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    try {
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 150; i++) {
        try {
          if ((await fetch(`${base}/-/ready`)).ok) break;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      // OpenMetrics names the counter x_total; the query is the same otherwise.
      const query = SUCCESS_RATE.replace(/x\{/g, 'x_total{');
      const inner = async (pathName: string, extra: Record<string, string>) => {
        const res = await fetch(`${base}${pathName}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ query, stats: 'all', ...extra }).toString(),
        });
        const body = (await res.json()) as { data: { stats?: { timings?: { innerEvalTime?: number } } } };
        return (body.data.stats?.timings?.innerEvalTime ?? NaN) * 1000;
      };
      const instant: number[] = [];
      for (let i = 0; i < 26; i++) instant.push(await inner('/api/v1/query', { time: String(END / 1000) }));
      const range: number[] = [];
      for (let i = 0; i < 8; i++)
        range.push(
          await inner('/api/v1/query_range', {
            start: String((END - 3_600_000) / 1000),
            end: String(END / 1000),
            step: '15',
          }),
        );
      return { instantMs: median(instant.slice(5)), rangeMs: median(range.slice(3)) };
    } finally {
      prom.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * App models against silly-demo as it is, in one process (as the issue asks: the same JIT, the
 * same heap): a warm-up of each, then the two alternated, wall time of each run.
 */
async function appModels(): Promise<object> {
  const runs = Number(process.env['BENCH_RUNS'] ?? 5);
  type R = { wallMs: number; requests: number };
  const names = ['open-silly-demo', 'open-silly-demo-fail', 'open-model'] as const;
  for (const n of names) await scenario(n);
  const wall: Record<string, number[]> = {};
  const requests: Record<string, number> = {};
  for (let i = 0; i < runs; i++)
    for (const n of names) {
      const r = (await scenario(n)) as R;
      (wall[n] ??= []).push(r.wallMs);
      requests[n] = r.requests;
    }
  return { wall, requests };
}

/**
 * The analysis trace's cost: the blog's story and the istio-prometheus canary, each with the
 * trace kept and without it, in one process (the same JIT, the same heap): a warm-up of each,
 * then pairs, the order swapped every other pair and the heap collected before each run (where
 * node runs with --expose-gc) so neither side pays for the other's garbage.
 */
async function trace(): Promise<object> {
  const pairs = 2 * Number(process.env['BENCH_RUNS'] ?? 5);
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  const blog = path.join(packageRoot(), 'scenarios/blog/scenario.yaml');
  const files: Record<string, string | undefined> = { blog, 'istio-prometheus': undefined };
  const wall: Record<string, number[]> = {};
  const cpu: Record<string, number[]> = {};
  for (const [name, file] of Object.entries(files)) {
    const one = async (traceAnalysis: boolean) => {
      gc();
      const r = (await scenario(name, { file, traceAnalysis })) as { wallMs: number; cpuMs: number };
      const key = `${name}, ${traceAnalysis ? 'traced' : 'untraced'}`;
      (wall[key] ??= []).push(r.wallMs);
      (cpu[key] ??= []).push(r.cpuMs);
    };
    await scenario(name, { file, traceAnalysis: true });
    await scenario(name, { file, traceAnalysis: false });
    for (let i = 0; i < pairs; i++) {
      await one(i % 2 === 0);
      await one(i % 2 !== 0);
    }
  }
  return { wall, cpu };
}

/**
 * The simulation part warm, as a sweep's or a test suite's worker runs it: the scenario parsed,
 * validated and run in a process that has run it three times before (the same JIT, the same heap).
 */
async function scenarioWarm(): Promise<object> {
  const runs = Number(process.env['BENCH_RUNS'] ?? 5);
  for (let i = 0; i < 3; i++) await scenario();
  const out: object[] = [];
  for (let i = 0; i < runs; i++) out.push(await scenario());
  return { runs: out };
}

const what = process.argv[2];
const runs: Record<string, () => object | Promise<object>> = {
  scenario: () => scenario(),
  'scenario-warm': scenarioWarm,
  'scenario-24h': () => scenario('istio-prometheus-24h'),
  'open-silly-demo': () => scenario('open-silly-demo'),
  'open-silly-demo-fail': () => scenario('open-silly-demo-fail'),
  'open-model': () => scenario('open-model'),
  'app-models': appModels,
  trace,
  'per-request': perRequest,
  promql,
  prometheus: realPrometheus,
};
const fn = what !== undefined ? runs[what] : undefined;
if (!fn) throw new Error(`unknown benchmark ${what}`);
process.stdout.write(`${JSON.stringify(await fn())}\n`);
