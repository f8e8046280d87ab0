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
  const c = new Counter({ name: 'istio_requests_total', help: 'h', labelNames: ISTIO_LABEL_NAMES, registers: [reg] });
  const h = new Histogram({ name: 'istio_request_duration_milliseconds', help: 'h', labelNames: ISTIO_LABEL_NAMES, buckets: [0.5, 1, 5, 10, 25, 50, 100], registers: [reg] });
  const labels = Object.fromEntries(ISTIO_LABEL_NAMES.map((n) => [n, `${n}-value`])) as Record<(typeof ISTIO_LABEL_NAMES)[number], string>;
  const n = 200_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    c.inc(labels, 1);
    h.observe(labels, 3 + (i % 7));
  }
  const wallMs = performance.now() - t0;
  return { wallMs, requests: n };
}

const what = process.argv[2];
const out = what === 'scenario' ? await scenario() : what === 'per-request' ? perRequest() : undefined;
if (!out) throw new Error(`unknown benchmark ${what}`);
process.stdout.write(`${JSON.stringify(out)}\n`);
