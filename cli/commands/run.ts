import type { World } from '../../sim/world.js';
import { buildRunCharts } from '../html/buildRunCharts.js';
import { renderReportHtml } from '../html/renderReportHtml.js';
import { TimelineRecorder } from '../html/TimelineRecorder.js';
import { outputFiles } from '../io/outputFiles.js';
import { writeAtomically } from '../io/writeAtomically.js';
import { checkListen, listenError } from '../live/serverLimits.js';
import { loadScenario } from '../scenario/loadScenario.js';
import type { Override } from '../scenario/overrides.js';
import { buildReport } from '../scenario/report.js';
import { runScenario } from '../scenario/runScenario.js';
import { handlePrometheusApi } from '../server/prometheusApi.js';
import { startHttpServer } from '../server/httpServer.js';
import { worldPrometheusApi } from '../server/worldPrometheusApi.js';
import { renderRunEvent } from '../views/renderRunEvent.js';
import { EXIT_FAILED, EXIT_OK } from '../runCli.js';
import { explainRun } from './explain.js';

export interface Out {
  write(s: string): unknown;
}

/** The flags `run` and `demo` share. */
export interface RunOptions {
  seed?: number;
  json?: string;
  quiet?: boolean;
  serve?: boolean;
  apiPort?: number;
  host?: string;
  root?: string;
  set?: Override[];
  env?: Override[];
  explain?: boolean;
  html?: string;
}

/**
 * `canarysim run FILE` (and `demo`): plays the scenario on the virtual clock; 0 when its
 * expectations hold, 1 when not. `until` is what --serve waits for before it stops serving.
 */
export async function runCommand(
  file: string,
  opts: RunOptions,
  out: Out,
  until: () => Promise<void>,
): Promise<number> {
  outputFiles([
    ['--json', opts.json],
    ['--html', opts.html],
  ]);
  // Before the run, not after it: a port in use or a bad --host would lose the run's state.
  if (opts.serve) await checkListen(opts.host ?? '127.0.0.1', opts.apiPort ?? 9090, '--api-port');
  const { scenario, fs } = loadScenario(file, {
    root: opts.root,
    overrides: [...(opts.set ?? []), ...(opts.env ?? [])],
  });
  const seed = opts.seed ?? scenario.settings.seed;
  const recorder = opts.html ? new TimelineRecorder() : undefined;
  const result = await runScenario(scenario, fs, {
    seed,
    emit: (e, world) => {
      recorder?.event(e);
      if (!opts.quiet || e.type === 'expect') out.write(renderRunEvent(e, world));
    },
    onWorld: (world) => recorder?.attach(world),
  });
  const failed = result.expectations.filter((x) => !x.passed).length;
  out.write(
    `\n${result.passed ? 'PASS' : 'FAIL'}: ${result.expectations.length - failed}/${result.expectations.length} expectations held (${scenario.file}, seed ${seed}, ${((result.world.now() - scenario.settings.startMs) / 1000).toFixed(0)}s simulated)\n`,
  );
  const report = opts.json || opts.explain || opts.html ? buildReport(scenario, seed, result) : undefined;
  if (opts.json) writeAtomically(opts.json, `${JSON.stringify(report, null, 2)}\n`);
  if (report && recorder && opts.html)
    writeAtomically(opts.html, renderReportHtml([buildRunCharts(report, result.world, recorder)]), '--html');
  if (report && opts.explain) out.write(`\n${explainRun(report)}`);
  if (opts.serve) await serve(result.world, opts, out, until);
  return result.passed ? EXIT_OK : EXIT_FAILED;
}

/** Serves the final state's Prometheus API until `until` resolves (the simulated clock stands still). */
async function serve(world: World, opts: RunOptions, out: Out, until: () => Promise<void>): Promise<void> {
  const deps = worldPrometheusApi(world);
  const host = opts.host ?? '127.0.0.1';
  const port = opts.apiPort ?? 9090;
  const { server, url } = await startHttpServer((m, p, q) => handlePrometheusApi(m, p, q, deps), {
    host,
    port,
  }).catch((e: unknown) => {
    throw listenError(e, port, host, '--api-port');
  });
  out.write(
    `Prometheus API of the simulation at ${url} (simulated time ${new Date(world.now()).toISOString()}); Ctrl-C to stop\n`,
  );
  await until();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
