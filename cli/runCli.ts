import { Command, CommanderError } from 'commander';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../sim/errors.js';
import { OverlayFileSystem } from '../sim/manifests/index.js';
import { promqlCheck, promqlTest } from './commands/promql.js';
import { NodeFileSystem } from './io/NodeFileSystem.js';
import { parseScenario } from './scenario/parseScenario.js';
import { buildReport } from './scenario/report.js';
import { runScenario } from './scenario/runScenario.js';
import { validateScenario } from './scenario/validateScenario.js';
import { renderRunEvent } from './views/renderRunEvent.js';
import { renderExposition } from './server/exposition.js';
import { startHttpServer } from './server/httpServer.js';
import { handlePrometheusApi } from './server/prometheusApi.js';
import type { World } from '../sim/world.js';

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** Exit codes: expectations hold / do not hold / the input is invalid. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INPUT = 2;

/** The package root (where package.json and scenarios/ live), from this module's location. */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('canarysim: package.json not found above the cli module');
    dir = up;
  }
  return dir;
}

/** Writes a file all at once (a temp file renamed over it), so a failure never leaves half a report. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

interface RunOptions {
  seed?: number;
  json?: string;
  quiet?: boolean;
  serve?: boolean;
  apiPort?: number;
  host?: string;
}

/** Serves the final state's Prometheus API until SIGINT/SIGTERM (the simulated clock stands still). */
async function serve(world: World, opts: RunOptions, io: CliIo): Promise<void> {
  const deps = {
    storage: world.storage,
    engine: world.engine,
    now: () => world.now(),
    exposition: () =>
      renderExposition(
        world.mesh.scrapeTargets().map((t) => ({ registry: t.registry, target: { ...t.target } })),
      ),
  };
  const { server, url } = await startHttpServer((m, p, q) => handlePrometheusApi(m, p, q, deps), {
    host: opts.host ?? '127.0.0.1',
    port: opts.apiPort ?? 9090,
  });
  io.stdout.write(
    `Prometheus API of the simulation at ${url} (simulated time ${new Date(world.now()).toISOString()}); Ctrl-C to stop\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close(() => resolve());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

async function runFile(file: string, opts: RunOptions, io: CliIo): Promise<number> {
  const abs = path.resolve(file);
  const fs = new OverlayFileSystem(new NodeFileSystem(path.dirname(abs)));
  const scenario = parseScenario(fs, path.basename(abs));
  validateScenario(scenario, fs);
  const seed = opts.seed ?? scenario.settings.seed;
  const result = await runScenario(scenario, fs, {
    seed,
    emit: (e, world) => {
      if (!opts.quiet || e.type === 'expect') io.stdout.write(renderRunEvent(e, world));
    },
  });
  const failed = result.expectations.filter((x) => !x.passed).length;
  io.stdout.write(
    `\n${result.passed ? 'PASS' : 'FAIL'}: ${result.expectations.length - failed}/${result.expectations.length} expectations held (${scenario.file}, seed ${seed}, ${((result.world.now() - scenario.settings.startMs) / 1000).toFixed(0)}s simulated)\n`,
  );
  if (opts.json)
    writeAtomically(opts.json, `${JSON.stringify(buildReport(scenario, seed, result), null, 2)}\n`);
  if (opts.serve) await serve(result.world, opts, io);
  return result.passed ? EXIT_OK : EXIT_FAILED;
}

/** The options `run` and `demo` share. */
function runOptions(cmd: Command): Command {
  return cmd
    .option('--seed <n>', "random seed (default: the scenario's)", parseSeed)
    .option('--json <file>', 'write the JSON report (docs/report.md) to this file')
    .option('-q, --quiet', 'print only expectations and the verdict')
    .option('--serve', 'afterwards, serve the Prometheus HTTP API over the final state until Ctrl-C')
    .option('--api-port <port>', 'port for --serve (default 9090; 0 picks a free one)', parsePort)
    .option('--host <host>', 'address for --serve to bind (default 127.0.0.1)');
}

function parsePort(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 65535)
    throw new InputError(`invalid port ${JSON.stringify(v)}: expected 0-65535`);
  return Number(v);
}

function parseSeed(v: string): number {
  if (!/^\d+$/.test(v))
    throw new InputError(`invalid --seed ${JSON.stringify(v)}: expected a non-negative integer`);
  return Number(v);
}

/**
 * The `canarysim` command line. The only place that decides how an error looks and which exit
 * code it gets: bad input prints one line and exits 2; anything else is a bug and propagates.
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const program = new Command();
  let code = EXIT_OK;
  program
    .name('canarysim')
    .description('Rehearse Argo Rollouts canaries with Istio and Prometheus, without a cluster.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError(false);

  const run = program
    .command('run')
    .description(
      'play a scenario on the virtual clock; exit 0 when its expectations hold, 1 when not, 2 on invalid input',
    )
    .argument('<scenario>', 'scenario file (YAML)');
  runOptions(run).action(async (file: string, o: RunOptions) => {
    code = await runFile(file, o, io);
  });

  const demo = program
    .command('demo')
    .description("play the blog's whole story (scenarios/blog/scenario.yaml)");
  runOptions(demo).action(async (o: RunOptions) => {
    code = await runFile(path.join(packageRoot(), 'scenarios/blog/scenario.yaml'), o, io);
  });

  const promql = program.command('promql').description('the embedded PromQL engine');
  promql
    .command('check')
    .description('parse an expression: print it back and its type, or the parse error (exit 2)')
    .argument('<expr>', 'PromQL expression')
    .action((expr: string) => {
      code = promqlCheck(expr, io.stdout);
    });
  promql
    .command('test')
    .description("run Prometheus's PromQL test scripts (load / eval / expect); exit 1 when an eval fails")
    .argument('<files...>', 'test scripts (.test)')
    .option('--subset <file>', 'an allow-list (subset.tsv): run only the evals of --class')
    .option('--class <class>', 'core, opt or all (with --subset; default core)')
    .action((files: string[], o: { subset?: string; class?: string }) => {
      code = promqlTest(files, o, io.stdout);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr.write(`canarysim: ${e.format()}\n`);
      return EXIT_INPUT;
    }
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return EXIT_OK;
      return EXIT_INPUT;
    }
    throw e;
  }
}
