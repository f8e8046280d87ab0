// One benchmark measurement in a fresh process, printed as JSON (so peak memory is its own).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Counter, Histogram, Registry } from 'prom-client';
import { NodeFileSystem } from '../../cli/io/NodeFileSystem.js';
import { packageRoot } from '../../cli/runCli.js';
import { parseScenario } from '../../cli/scenario/parseScenario.js';
import { runScenario } from '../../cli/scenario/runScenario.js';
import { validateScenario } from '../../cli/scenario/validateScenario.js';
import { ISTIO_LABEL_NAMES } from '../../sim/mesh/index.js';
import { OverlayFileSystem } from '../../sim/manifests/index.js';
import { Engine, parseExpr } from '../../sim/promql/index.js';
import { Storage } from '../../sim/tsdb/index.js';

async function scenario(): Promise<object> {
  const file = path.join(packageRoot(), 'test/bench/scenarios/istio-prometheus.yaml');
  const t0 = performance.now();
  const fs = new OverlayFileSystem(new NodeFileSystem(path.dirname(file)));
  const sc = parseScenario(fs, path.basename(file));
  validateScenario(sc, fs);
  const result = await runScenario(sc, fs, { emit: () => {} });
  const wallMs = performance.now() - t0;
  if (!result.passed) throw new Error('bench scenario expectations failed');
  const requests = [...result.hey.values()].reduce((a, h) => a + h.hey.sent, 0);
  const loadSeconds = (result.hey.get('load')!.result!.totalMs ?? 0) / 1000;
  return {
    wallMs,
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
  const wallMs = performance.now() - t0;
  return { wallMs, requests: n };
}

/** The success-rate query over 1,000 series × 24 h at 15 s; baseline: the same ratio by a hand-written loop. */
function promql(): object {
  const STEP = 15_000;
  const SAMPLES = (24 * 3_600_000) / STEP;
  const END = (SAMPLES - 1) * STEP;
  const storage = new Storage();
  const refs: number[] = [];
  for (let i = 0; i < 1000; i++)
    refs.push(
      storage.seriesRef({
        __name__: 'x',
        a: i % 10 === 0 ? 'z' : 'b',
        c: i % 7 === 0 ? '503' : '200',
        instance: `pod-${i}`,
      }),
    );
  for (let k = 0; k < SAMPLES; k++)
    for (let i = 0; i < 1000; i++) storage.append(refs[i]!, k * STEP, k * ((i % 5) + 1));
  const engine = new Engine();
  const expr = parseExpr('sum(irate(x{a="b",c!~"5.*"}[5m])) / sum(irate(x{a="b"}[5m]))');
  const time = (fn: () => unknown, n: number) => {
    const xs: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      fn();
      xs.push(performance.now() - t0);
    }
    return xs.sort((a, b) => a - b)[Math.floor(n / 2)]!;
  };
  time(() => engine.instantQuery(storage, expr, END), 5);
  const instantMs = time(() => engine.instantQuery(storage, expr, END), 21);
  const rangeMs = time(() => engine.rangeQuery(storage, expr, END - 3_600_000, END, STEP), 5);
  // Baseline: walk the same series' last two samples by hand (what irate needs), no engine.
  const sel = storage.select([{ name: '__name__', type: '=', value: 'x' }], END - 300_000, END);
  const handMs = time(() => {
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
  return {
    instantMs,
    rangeMs,
    handMs,
    bytesPerSample: storage.stats().sampleBytes / storage.stats().samples,
  };
}

const what = process.argv[2];
const out =
  what === 'scenario'
    ? await scenario()
    : what === 'per-request'
      ? perRequest()
      : what === 'promql'
        ? promql()
        : undefined;
if (!out) throw new Error(`unknown benchmark ${what}`);
process.stdout.write(`${JSON.stringify(out)}\n`);
