// Interop: the embedded Prometheus against a real one (Debian's prometheus 2.42) on the same
// data, and promtool against canarysim's API. Run by .ci/run after `apt-get install prometheus`:
//   node dist/test/interop/realPrometheus.js
// Exit 1 on any disagreement. Prometheus 2.x closes range windows on both sides (3.x: left-open),
// so every evaluation time sits between scrapes, away from window edges.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NodeFileSystem } from '../../cli/io/NodeFileSystem.js';
import { packageRoot } from '../../cli/runCli.js';
import { parseScenario } from '../../cli/scenario/parseScenario.js';
import { runScenario } from '../../cli/scenario/runScenario.js';
import { validateScenario } from '../../cli/scenario/validateScenario.js';
import { startHttpServer } from '../../cli/server/httpServer.js';
import { handlePrometheusApi } from '../../cli/server/prometheusApi.js';
import { OverlayFileSystem } from '../../sim/manifests/index.js';
import { isStaleAt } from '../../sim/tsdb/index.js';
import { apiQuery, diff, freePort, QUERIES, startUntil, stop, type Sample } from './common.js';

const root = packageRoot();
// The API server runs in this process: promtool must be awaited, not run synchronously.
const run = async (args: string[]) =>
  (await promisify(execFile)('promtool', args, { encoding: 'utf8' })).stdout;
const work = mkdtempSync(path.join(tmpdir(), 'canarysim-interop-'));
let failures = 0;
let checks = 0;
let samplesCompared = 0;

function report(what: string, d: string[]): void {
  checks++;
  if (d.length === 0) return;
  failures++;
  console.log(`✖ ${what}\n    ${d.slice(0, 5).join('\n    ')}`);
}

// 1. The blog story on the virtual clock.
const file = path.join(root, 'scenarios/blog/scenario.yaml');
const fs = new OverlayFileSystem(new NodeFileSystem(path.dirname(file)));
const scenario = parseScenario(fs, path.basename(file));
validateScenario(scenario, fs);
const { world } = await runScenario(scenario, fs, { emit: () => {} });
const storage = world.storage;

// 2. Its TSDB as OpenMetrics (stale markers cannot be written there: only the gateway's series,
//    which never go stale, are queried below), backfilled into blocks by promtool.
const all = storage.select([{ name: '__name__', type: '=~', value: '.+' }], -Infinity, Infinity);
const byName = new Map<string, typeof all>();
for (const s of all) byName.set(s.labels['__name__']!, [...(byName.get(s.labels['__name__']!) ?? []), s]);
let om = '';
let scrapeTimes: number[] = [];
for (const [name, series] of [...byName].sort(([a], [b]) => (a < b ? -1 : 1))) {
  om += `# TYPE ${name} unknown\n`;
  for (const s of series) {
    const labels = Object.keys(s.labels)
      .filter((k) => k !== '__name__')
      .sort()
      .map((k) => `${k}="${s.labels[k]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
      .join(',');
    for (let i = s.start; i < s.end; i++) {
      if (isStaleAt(s.vs, i)) continue;
      om += `${name}{${labels}} ${Number.isNaN(s.vs[i]!) ? 'NaN' : s.vs[i]} ${(s.ts[i]! / 1000).toFixed(3)}\n`;
    }
    // The ingress gateway is scraped for the whole run: its scrape times span it.
    if (name === 'up' && s.end - s.start > scrapeTimes.length)
      scrapeTimes = Array.from(s.ts.subarray(s.start, s.end));
  }
}
om += '# EOF\n';
writeFileSync(path.join(work, 'data.om'), om);
execFileSync(
  'promtool',
  ['tsdb', 'create-blocks-from', 'openmetrics', path.join(work, 'data.om'), path.join(work, 'data')],
  { stdio: 'ignore' },
);
writeFileSync(path.join(work, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');

// 3. A real Prometheus on that data, and canarysim's API on the same TSDB.
const promPort = await freePort();
const prom = await startUntil(
  'prometheus',
  [
    `--config.file=${path.join(work, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(work, 'data')}`,
    '--storage.tsdb.retention.time=100y',
    `--web.listen-address=127.0.0.1:${promPort}`,
  ],
  /Server is ready to receive web requests/,
);
const ours = await startHttpServer(
  (m, p, q) =>
    handlePrometheusApi(m, p, q, {
      storage,
      engine: world.engine,
      now: () => world.now(),
      exposition: async () => '',
    }),
  { host: '127.0.0.1', port: 0 },
);
const theirs = `http://127.0.0.1:${promPort}`;

try {
  // Evaluation times: 13.7 s after a scrape (never on a window edge), and at least 16 minutes
  // after the birth of any gateway series: for a series that starts inside the window,
  // Prometheus 2.x applies rate's zero-point clamp before the half-interval rule and 3.x after
  // it (spec §4), so 2.42 is no oracle there.
  const births = all.filter((x) => x.labels['reporter'] === 'source').map((x) => x.ts[x.start]!);
  const eligible = scrapeTimes
    .map((x) => x + 13_700)
    .filter(
      (t) => births.some((b) => b <= t - 16 * 60_000) && births.every((b) => b <= t - 16 * 60_000 || b > t),
    );
  if (eligible.length < 6)
    throw new Error(`only ${eligible.length} evaluation times away from series births`);
  const times = [0, 0.2, 0.4, 0.6, 0.8, 1].map((f) => eligible[Math.floor(f * (eligible.length - 1))]!);
  for (const q of QUERIES) {
    for (const t of times) {
      const engine: Sample[] = (() => {
        const r = world.engine.instantQuery(storage, q, t);
        if (r.resultType === 'scalar') return [{ metric: {}, value: r.result }];
        if (r.resultType !== 'vector') throw new Error(`${q}: ${r.resultType}`);
        return r.result.map((s) => ({ metric: { ...s.metric }, value: s.value }));
      })();
      samplesCompared += engine.length;
      report(
        `real Prometheus vs embedded engine: ${q} @ ${new Date(t).toISOString()}`,
        diff(await apiQuery(theirs, q, t), engine),
      );
      report(
        `canarysim API vs embedded engine: ${q} @ ${new Date(t).toISOString()}`,
        diff(await apiQuery(ours.url, q, t), engine),
      );
    }
  }

  // 4. promtool against canarysim's API: instant and range queries print what the engine returns.
  const t = times[2]!;
  for (const q of QUERIES.slice(0, 6)) {
    const text = await run(['query', 'instant', `--time=${(t / 1000).toFixed(3)}`, ours.url, q]);
    const printed = text
      .trim()
      .split('\n')
      .filter((l) => l.includes('=>'))
      .map((l) => {
        const m = /^(\{.*\}) => (\S+) @\[/.exec(l)!;
        const metric: Record<string, string> = {};
        for (const p of m[1]!.slice(1, -1).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
          metric[p[1]!] = p[2]!;
        return { metric, value: Number(m[2]) };
      });
    report(`promtool query instant: ${q}`, diff(printed, await apiQuery(ours.url, q, t), 1e-12));
  }
  const q = QUERIES[0]!;
  const start = times[1]!;
  const end = times[3]!;
  const text = await run([
    'query',
    'range',
    `--start=${(start / 1000).toFixed(3)}`,
    `--end=${(end / 1000).toFixed(3)}`,
    '--step=30s',
    ours.url,
    q,
  ]);
  const points = [...text.matchAll(/^(\S+) @\[(\d+(?:\.\d+)?)\]$/gm)].map((m) => ({
    v: Number(m[1]),
    t: Number(m[2]) * 1000,
  }));
  const r = world.engine.rangeQuery(storage, q, start, end, 30_000);
  const expected = r.resultType === 'matrix' ? (r.result[0]?.values ?? []) : [];
  checks++;
  if (
    points.length !== expected.length ||
    points.some(
      (p, i) => Math.abs(p.t - expected[i]!.t) > 0.5 || Math.abs(p.v - expected[i]!.v) > 1e-9 * Math.abs(p.v),
    )
  ) {
    failures++;
    console.log(
      `✖ promtool query range: ${q}\n    got ${JSON.stringify(points.slice(0, 3))}…\n    want ${JSON.stringify(expected.slice(0, 3))}…`,
    );
  }
} finally {
  await stop(prom.child);
  await new Promise<void>((r) => ours.server.close(() => r()));
  rmSync(work, { recursive: true, force: true });
}

console.log(
  `interop: ${checks - failures} of ${checks} checks agree (real Prometheus 2.42 and promtool vs canarysim; ${QUERIES.length} queries at 6 times, ${samplesCompared} result samples)`,
);
process.exitCode = failures > 0 ? 1 : 0;
