import { Command, CommanderError } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStrconvError, parseBool } from '../go/strconv.js';
import { parseGoDuration } from '../go/duration.js';
import { MAX_SPEED, MAX_TIMER_MS } from '../sim/clock/RealClock.js';
import { InputError } from '../sim/errors.js';
import type { FaultSetFlags } from './commands/fault.js';
import type { LintCommandOptions } from './commands/lint.js';
import type { MatrixFlags } from './commands/matrix.js';
import type { RunOptions } from './commands/run.js';
import type { ServeFlags } from './commands/serve.js';
import type { SweepFlags } from './commands/sweep.js';
import type { TestFlags } from './commands/test.js';
import type { Override } from './scenario/overrides.js';
import { defaultJobs, MAX_JOBS } from './suite/jobs.js';

// Every command's modules load when it runs (`await import` in its action), not at start-up:
// `canarysim --version` loads commander and a few small modules, nothing of the simulation.

export interface CliIo {
  stdout: { write(s: string): unknown };
  stderr: { write(s: string): unknown };
}

/** Exit codes: expectations hold / do not hold / the input is invalid. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_INPUT = 2;

/** The package root (where package.json and scenarios/ live), from this module's location. */
/** The version in package.json. */
function packageVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
}

export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('canarysim: package.json not found above the cli module');
    dir = up;
  }
  return dir;
}

/** `run FILE` and `demo`: the scenario played, its verdict the exit code. */
async function runFile(file: string, opts: RunOptions, io: CliIo): Promise<number> {
  const { runCommand } = await import('./commands/run.js');
  return runCommand(file, opts, io.stdout, waitForSignal);
}

/** The options `run` and `demo` share. */
function runOptions(cmd: Command): Command {
  return cmd
    .option('--seed <n>', "random seed (default: the scenario's)", parseSeed)
    .option('--json <file>', 'write the JSON report (docs/report.md) to this file')
    .option(
      '--html <file>',
      'write a self-contained HTML report with charts (weights, rates, analysis) to this file',
    )
    .option('-q, --quiet', 'print only expectations and the verdict')
    .option('--serve', 'afterwards, serve the Prometheus HTTP API over the final state until Ctrl-C')
    .option('--api-port <port>', 'port for --serve (default 9090; 0 picks a free one)', parsePort)
    .option('--host <host>', 'address for --serve to bind (default 127.0.0.1)')
    .option('--root <dir>', "read files from below this folder (default: the scenario's own folder)")
    .option('--explain', 'afterwards, print why each analysis decided as it did (as canarysim explain)')
    .option(...SET_OPTION)
    .option(...ENV_OPTION);
}

/** The --set/--env parsers (they read YAML): loaded before a command that takes them parses its flags. */
let overrides: typeof import('./scenario/overrides.js') | undefined;
function overridesModule(): typeof import('./scenario/overrides.js') {
  if (!overrides) throw new Error('canarysim: --set/--env parsed before cli/scenario/overrides.js loaded');
  return overrides;
}

/** `sweep --vary`'s parser (it reads YAML): loaded before `sweep` parses its flags. */
let varyFlag: typeof import('./sweep/varyFlag.js') | undefined;

/** `--set path=value` (repeatable): a scenario value replaced before validation. */
export const SET_OPTION = [
  '--set <path=value>',
  'replace a value of the scenario, e.g. seed=7, timeline[3].wait=10m, apps[0].errors=5% (repeatable)',
  (v: string, prev?: Override[]) => [...(prev ?? []), overridesModule().parseSetFlag(v)],
] as const;

/** `--env NAME=value` (repeatable): an entry of the scenario's env: set or added. */
export const ENV_OPTION = [
  '--env <NAME=value>',
  "set or add an entry of the scenario's env: (its $NAME in hey args and URLs) (repeatable)",
  (v: string, prev?: Override[]) => [...(prev ?? []), overridesModule().parseEnvFlag(v)],
] as const;

function parseSpeed(v: string): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x <= 0 || x > MAX_SPEED)
    throw new InputError(`invalid --speed ${JSON.stringify(v)}: expected a number in (0, ${MAX_SPEED}]`);
  return x;
}

/** Resolves on the first SIGINT or SIGTERM. */
function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function parsePort(v: string): number {
  if (!/^\d+$/.test(v) || Number(v) > 65535)
    throw new InputError(`invalid port ${JSON.stringify(v)}: expected 0-65535`);
  return Number(v);
}

/** A non-negative integer flag within [min, max], named in the error (a timer's wait, say). */
function parseBounded(flag: string, min: number, max: number, unit = '') {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max)
      throw new InputError(
        `invalid ${flag} ${JSON.stringify(v)}: expected an integer from ${min} to ${max}${unit}`,
      );
    return n;
  };
}

/** A non-negative integer flag, named in the error; at most Number.MAX_SAFE_INTEGER. */
function parseFlagCount(flag: string, v: string): number {
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)))
    throw new InputError(`invalid ${flag} ${JSON.stringify(v)}: expected a non-negative integer`);
  return Number(v);
}

/** The plugin's `status --watch`, a Go bool flag: strconv.ParseBool's words (true, false, 1, 0, t, f, …). */
function parseWatch(v: string): boolean {
  const b = parseBool(v);
  if (isStrconvError(b)) throw new InputError(`invalid --watch ${JSON.stringify(v)}: expected true or false`);
  return b;
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
  // `canarysim hey …` takes hey's own single-dash flags verbatim: it bypasses commander.
  if (argv[0] === 'hey') {
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    try {
      const { runHeyCommand } = await import('./commands/hey.js');
      return await runHeyCommand(argv.slice(1), io, stop.signal);
    } catch (e) {
      if (e instanceof InputError) {
        io.stderr.write(`canarysim: ${e.format()}\n`);
        return EXIT_INPUT;
      }
      throw e;
    } finally {
      process.off('SIGINT', onSignal);
    }
  }
  const program = new Command();
  let code = EXIT_OK;
  program
    .name('canarysim')
    .description('Rehearse Argo Rollouts canaries with Istio and Prometheus, without a cluster.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    // `sweep merge --json F` is merge's --json, not sweep's: options belong to the command they follow.
    .enablePositionalOptions()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError(false);
  // `serve` runs for hours and prints its status lines as `canarysim serve: …`: its errors read the same.
  let prefix = 'canarysim';
  program.hook('preSubcommand', async (_, sub) => {
    if (sub.name() === 'serve') prefix = 'canarysim serve';
    // commander calls option parsers synchronously: the commands with --set/--env load theirs first.
    if (sub.options.some((o) => o.long === '--set' || o.long === '--env'))
      overrides ??= await import('./scenario/overrides.js');
    if (sub.name() === 'sweep') varyFlag ??= await import('./sweep/varyFlag.js');
  });

  const run = program
    .command('run')
    .description(
      'play a scenario on the virtual clock; exit 0 when its expectations hold, 1 when not, 2 on invalid input',
    )
    .argument('<scenario>', 'scenario file (YAML)');
  runOptions(run).action(async (file: string, o: RunOptions) => {
    code = await runFile(file, o, io);
  });

  program
    .command('test')
    .description(
      'play many scenarios in parallel (a folder finds its scenarios; globs too); exit 0 when all expectations hold, 1 when not, 2 on invalid input',
    )
    .argument('[paths...]', 'scenario files, folders and globs (default: the working directory)')
    .option(
      '-j, --jobs <n>',
      'scenarios played at once, each on a worker thread (default: the cores available)',
      parseBounded('--jobs', 1, MAX_JOBS),
    )
    .option('--junit <file>', 'write JUnit XML: a testsuite per scenario, a testcase per expectation')
    .option('--markdown <file>', 'write a Markdown summary (fits $GITHUB_STEP_SUMMARY)')
    .option('--json <file>', 'write every report (docs/report.md) as one JSON file')
    .option('--html <file>', 'write one self-contained HTML report with a section of charts per scenario')
    .option('--seed <n>', "random seed for every scenario (default: each scenario's)", parseSeed)
    .option('--root <dir>', "read files from below this folder (default: each scenario's own folder)")
    .option(...SET_OPTION)
    .option(...ENV_OPTION)
    .action(async (paths: string[], o: Omit<TestFlags, 'jobs'> & { jobs?: number }) => {
      const { testCommand } = await import('./commands/test.js');
      code = await testCommand(paths, { ...o, jobs: o.jobs ?? defaultJobs() }, io);
    });

  const sweep = program
    .command('sweep')
    .enablePositionalOptions()
    .description(
      "play a scenario's update N times in every cell of a grid of values: P(abort), P(promote), P(stuck), time to abort, blast radius, false aborts",
    )
    .argument('<scenario>', 'scenario file (YAML) that updates a Rollout')
    .option(
      '--vary <KEY=V1,V2,...>',
      'a grid axis: a scenario path as --set takes it (apps[0].errors=0%,2%) or Kind/name:path of a manifest it applies (repeatable)',
      (v: string, prev?: unknown[]) => [...(prev ?? []), varyFlag!.parseVaryFlag(v)],
    )
    .option('--seeds <n>', 'runs per cell, each on its own seed', parseBounded('--seeds', 1, 10_000), 20)
    .option(
      '--seed <n>',
      "the sweep's seed, from which every run's derives (default: the scenario's)",
      parseSeed,
    )
    .option('--rollout <name>', 'the Rollout whose update is measured (default: the only one)')
    .option(
      '--healthy <KEY=V1,...>',
      'cells with these values are healthy versions: their P(abort) is the false-abort rate (repeatable)',
      (v: string, p?: string[]) => [...(p ?? []), v],
    )
    .option('--mutants', "cells are the standard bad versions of the canary's image and a healthy one")
    .option(
      '--canary-image <image>',
      "--mutants: the image to mutate (default: the scenario's last setImage)",
    )
    .option('--mutant-errors <shares>', '--mutants: the +x% 5xx mutants (default 1%,5%)')
    .option(
      '--mutant-path <path>',
      "--mutants: the one path that fails (default: the traffic mix's least-used, else /)",
    )
    .option(
      '--mutant-load <rate>',
      '--mutants: per-pod rate above which the under-load mutant fails (default 20/s)',
    )
    .option(
      '--shard <i/n>',
      'run only slice i of n (n alone: i from JOB_COMPLETION_INDEX + 1); join with sweep merge',
    )
    .option(
      '-j, --jobs <n>',
      'rollouts played at once, each on a worker thread (default: the cores available)',
      parseBounded('--jobs', 1, MAX_JOBS),
    )
    .option('--json <file>', 'write the result as JSON (docs/sweep.md): cells and every run')
    .option('--csv <file>', 'write a row per cell as CSV')
    .option('--markdown <file>', 'write the table as Markdown (fits $GITHUB_STEP_SUMMARY)')
    .option(
      '--html <file>',
      'write heatmaps of P(abort) and time to abort, and the false aborts, as one HTML file',
    )
    .option('--root <dir>', "read files from below this folder (default: the scenario's own folder)")
    .option(...SET_OPTION)
    .option(...ENV_OPTION)
    .action(async (file: string, o: Omit<SweepFlags, 'jobs'> & { jobs?: number }) => {
      const { sweepCommand } = await import('./commands/sweep.js');
      code = await sweepCommand(file, { ...o, jobs: o.jobs ?? defaultJobs() }, io);
    });
  sweep
    .command('merge')
    .description("join the --json files of a sweep's shards into the whole sweep's result")
    .argument('<files...>', 'the --json files of --shard 1/n … n/n')
    .option('--json <file>', 'write the merged result as JSON')
    .option('--csv <file>', 'write a row per cell as CSV')
    .option('--markdown <file>', 'write the table as Markdown')
    .option('--html <file>', 'write the heatmaps as one HTML file')
    .action(async (files: string[], o: { json?: string; csv?: string; markdown?: string; html?: string }) => {
      const { sweepMergeCommand } = await import('./commands/sweep.js');
      code = await sweepMergeCommand(files, o, io);
    });

  const demo = program
    .command('demo')
    .description("play the blog's whole story (scenarios/blog/scenario.yaml)");
  runOptions(demo).action(async (o: RunOptions) => {
    code = await runFile(path.join(packageRoot(), 'scenarios/blog/scenario.yaml'), o, io);
  });

  program
    .command('explain')
    .description(
      'why each analysis decision went as it did: from the measurements (query, series, conditions, limits) to what the rollout did',
    )
    .argument('<report>', 'a JSON report written by run --json')
    .option('--rollout <name>', 'only this rollout')
    .action(async (file: string, o: { rollout?: string }) => {
      const { explainCommand } = await import('./commands/explain.js');
      code = explainCommand(file, o, io.stdout);
    });

  const promql = program.command('promql').description('the embedded PromQL engine');
  promql
    .command('check')
    .description('parse an expression: print it back and its type, or the parse error (exit 2)')
    .argument('<expr>', 'PromQL expression')
    .action(async (expr: string) => {
      const { promqlCheck } = await import('./commands/promql.js');
      code = promqlCheck(expr, io.stdout);
    });
  promql
    .command('test')
    .description("run Prometheus's PromQL test scripts (load / eval / expect); exit 1 when an eval fails")
    .argument('<files...>', 'test scripts (.test)')
    .option('--subset <file>', 'an allow-list (subset.tsv): run only the evals of --class')
    .option('--class <class>', 'core, opt or all (with --subset; default core)')
    .action(async (files: string[], o: { subset?: string; class?: string }) => {
      const { promqlTest } = await import('./commands/promql.js');
      code = promqlTest(files, o, io.stdout);
    });

  program
    .command('matrix')
    .description(
      "the edge-case matrix of a Rollout's analyses: no traffic, NaN, empty vectors, counter resets, errors only, +Inf, Prometheus down or slow, each played through the whole simulation; exit 1 when an outage or an absence of data promotes or healthy quiet traffic aborts",
    )
    .argument(
      '[files...]',
      'manifest files (YAML), read as lint reads them; a scenario file supplies its settings',
    )
    .option('-k, --kustomize <dir>', 'a kustomization directory (repeatable)', (v: string, p?: string[]) => [
      ...(p ?? []),
      v,
    ])
    .option(
      '-n, --namespace <ns>',
      'namespace of objects that name none (default: the scenario\'s, else "default")',
    )
    .option('--rollout <name>', 'the Rollout to rehearse when several have analyses')
    .option(
      '--arg <name=value>',
      "a template arg, for templates given without their Rollout (they run in a stand-in: the blog's canary) (repeatable)",
      (v: string, p?: string[]) => [...(p ?? []), v],
    )
    .option('--rps <n>', 'requests per second of the load in rows with traffic (default 10)')
    .option('--seed <n>', "random seed (default: the scenario's, else 1)", parseSeed)
    .option(
      '--accept <row>',
      'a flagged row the team has decided to live with: reported, not failed (repeatable)',
      (v: string, p?: string[]) => [...(p ?? []), v],
    )
    .option('--json <file>', 'write the matrix as JSON')
    .option('--markdown <file>', 'write the matrix as Markdown (fits $GITHUB_STEP_SUMMARY)')
    .option(
      '--root <dir>',
      "read files from below this folder (default: the working directory, or an input's own folder outside it)",
    )
    .action(async (files: string[], o: Omit<MatrixFlags, 'kustomize'> & { kustomize?: string[] }) => {
      const { matrixCommand } = await import('./commands/matrix.js');
      code = await matrixCommand(files, { ...o, kustomize: o.kustomize ?? [] }, io.stdout);
    });

  program
    .command('lint')
    .description(
      'check Rollouts, AnalysisTemplates and VirtualServices and their references, and print a static timeline; exit 0 clean, 1 findings (errors or warnings; see --fail-on), 2 invalid input',
    )
    .argument(
      '[files...]',
      'manifest files (YAML); all inputs are linted as one set; a scenario file supplies its settings',
    )
    .option('-k, --kustomize <dir>', 'a kustomization directory (repeatable)', (v: string, p?: string[]) => [
      ...(p ?? []),
      v,
    ])
    .option('-n, --namespace <ns>', 'namespace of objects that name none (default: "default")')
    .option('--json', 'print the findings and timelines as JSON (on invalid input too: exit 2)')
    .option(
      '--ignore <rule>',
      'drop the findings of a rule, e.g. nan-fails once the team accepts it (repeatable)',
      (v: string, p?: string[]) => [...(p ?? []), v],
    )
    .option(
      '--fail-on <severity>',
      'error or warning: the least severe finding that exits 1 (default: warning)',
    )
    .option(
      '--scrape-interval <d>',
      "the Prometheus scrape interval queries run against (default: a scenario's among the inputs, else 30s)",
    )
    .option(
      '--argo-version <v>',
      "the Argo Rollouts release whose messages findings quote: 1.7, 1.8, 1.9, 1.10 (default: a scenario's, else 1.9)",
    )
    .option(
      '--rps <n>',
      "requests per second the service receives, for the sample-size advice (default: a scenario's declared traffic, else no advice)",
    )
    .option(
      '--root <dir>',
      "read files from below this folder (default: the working directory, or an input's own folder outside it)",
    )
    .action(async (files: string[], o: Omit<LintCommandOptions, 'kustomize'> & { kustomize?: string[] }) => {
      const { lintCommand } = await import('./commands/lint.js');
      code = lintCommand(files, { ...o, kustomize: o.kustomize ?? [] }, io.stdout);
    });

  // ---- live mode ----------------------------------------------------------------------------
  program
    .command('serve')
    .description(
      'run the simulation on the real clock: real silly-demo replicas, an ingress proxy, the control and Prometheus APIs',
    )
    .option('--port <port>', 'ingress gateway port (0: a free one)', parsePort, 8080)
    .option(
      '--api-port <port>',
      'control API, Prometheus API and /metrics port (0: a free one)',
      parsePort,
      9090,
    )
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--speed <x>', 'simulated seconds per real second (10: a 300 s pause lasts 30 s)', parseSpeed, 1)
    .option('--seed <n>', 'random seed', parseSeed, 1)
    .option('--namespace <ns...>', 'namespaces to create (istio-injection enabled)', ['default', 'a-team'])
    .option('--scrape-interval <d>', 'Prometheus scrape interval (simulated)', '30s')
    .option('--allow-remote', 'measure analysis against real Prometheus servers at other addresses')
    .option(
      '--prometheus-address <url...>',
      "addresses at which analysis reaches the embedded Prometheus (default: kube-prometheus-stack's)",
    )
    .option(
      '--apps <file>',
      "app models (YAML: a list, or a scenario's apps: block): how the images they match behave",
    )
    .action(async (o: ServeFlags) => {
      const { serveCommand } = await import('./commands/serve.js');
      code = await serveCommand(o, waitForSignal, io.stdout);
    });

  // Listed for --help only: runCli hands `hey …` to runHeyCommand before commander sees it.
  program
    .command('hey')
    .description("hey 0.1.4 against any URL, on autocannon (hey's flags and summary; -o csv; --json FILE)")
    .argument('[flags...]')
    .allowUnknownOption();

  const client = async (o: { server: string }) =>
    new (await import('./live/HttpControlClient.js')).HttpControlClient(o.server);
  const live = () => import('./commands/live.js');
  const faults = () => import('./commands/fault.js');
  const trainer = () => import('./commands/trainer.js');
  const serverUrlOption = (cmd: Command) =>
    cmd.option(
      '--server <url>',
      'a running canarysim serve (its API)',
      process.env['CANARYSIM_SERVER'] ?? 'http://127.0.0.1:9090',
    );
  const serverOption = (cmd: Command) =>
    serverUrlOption(cmd).option('-n, --namespace <ns>', 'namespace', 'default');
  type Conn = { server: string; namespace: string };
  for (const verb of ['apply', 'delete'] as const) {
    serverOption(program.command(verb).description(`kubectl ${verb} against canarysim serve`))
      .option('-k, --kustomize <dir>', 'a kustomization directory')
      .option('-f, --filename <file>', 'a manifest file')
      .option(
        '--root <dir>',
        "read files from below this folder (default: the working directory, or the input's own folder outside it)",
      )
      .action(async (o: Conn & { kustomize?: string; filename?: string; root?: string }) => {
        code = await (await live()).applyCommand(await client(o), verb, o, io.stdout);
      });
  }
  const set = program.command('set').description('set fields of a rollout');
  serverOption(
    set.command('image').description("set a rollout's container image (patches its workloadRef Deployment)"),
  )
    .argument('<rollout>')
    .argument('<container=image>')
    .action(async (rollout: string, spec: string, o: Conn) => {
      code = await (await live()).setImageCommand(await client(o), rollout, spec, o.namespace, io.stdout);
    });
  serverOption(
    program
      .command('promote')
      .description('promote a rollout one step (clears a pause); --full skips the rest'),
  )
    .argument('<rollout>')
    .option('--full', 'skip the remaining steps and analysis')
    .action(async (rollout: string, o: Conn & { full?: boolean }) => {
      code = await (
        await live()
      ).rolloutCommand(await client(o), 'promote', rollout, o.namespace, io.stdout, o.full === true);
    });
  for (const action of ['abort', 'pause'] as const) {
    serverOption(program.command(action).description(`${action} a rollout`))
      .argument('<rollout>')
      .action(async (rollout: string, o: Conn) => {
        code = await (await live()).rolloutCommand(await client(o), action, rollout, o.namespace, io.stdout);
      });
  }
  serverOption(
    program.command('retry').description('retry an aborted rollout (`retry rollout NAME` or `retry NAME`)'),
  )
    .argument('<args...>')
    .action(async (args: string[], o: Conn) => {
      const name = args[0] === 'rollout' || args[0] === 'ro' ? args[1] : args[0];
      if (!name || args.length > (args[0] === 'rollout' || args[0] === 'ro' ? 2 : 1))
        throw new InputError('usage: canarysim retry rollout <name>');
      code = await (await live()).rolloutCommand(await client(o), 'retry', name, o.namespace, io.stdout);
    });
  serverOption(
    program
      .command('undo')
      .description("copy a previous revision's pod template back into a rollout (default: the one before)"),
  )
    .argument('<rollout>')
    .option(
      '--to-revision <n>',
      'the revision to go back to (0: the previous one)',
      (v: string) => parseFlagCount('--to-revision', v),
      0,
    )
    .action(async (rollout: string, o: Conn & { toRevision: number }) => {
      io.stdout.write(
        `${await (await client(o)).command(o.namespace, rollout, 'undo', { toRevision: o.toRevision })}\n`,
      );
    });
  serverOption(
    program.command('restart').description("replace a rollout's pods, a few at a time (sets spec.restartAt)"),
  )
    .argument('<rollout>')
    .option('-i, --in <duration>', 'restart this much later (e.g. 30s, 5m, 1h)')
    .action(async (rollout: string, o: Conn & { in?: string }) => {
      // The plugin reads --in with Go's time.ParseDuration: a unit is required, no sign.
      const ms = o.in === undefined ? 0 : parseGoDuration(o.in);
      if (ms === undefined || ms < 0)
        throw new InputError(
          `invalid --in ${JSON.stringify(o.in)}: expected a duration such as 30s, 5m or 1h`,
        );
      io.stdout.write(`${await (await client(o)).command(o.namespace, rollout, 'restart', { in: o.in })}\n`);
    });
  const get = program.command('get').description('show a rollout the way kubectl argo rollouts does');
  serverOption(get.command('rollout').alias('ro').alias('rollouts'))
    .argument('<name>')
    .option('-w, --watch', 'redraw on every change, as the plugin does (Ctrl-C to stop)')
    .option(
      '--timeout-seconds <n>',
      'stop watching after this many seconds (0: never)',
      parseBounded('--timeout-seconds', 0, Math.floor(MAX_TIMER_MS / 1000)),
      0,
    )
    .option('--no-color', 'no colours in --watch output')
    .action(async (name: string, o: Conn & { watch?: boolean; timeoutSeconds: number; color: boolean }) => {
      if (!o.watch) {
        code = await (await live()).getRolloutCommand(await client(o), name, o.namespace, io.stdout);
        return;
      }
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const { watchRollout } = await import('./tui/index.js');
        await watchRollout(await client(o), {
          namespace: o.namespace,
          name,
          out: io.stdout,
          timeoutSeconds: o.timeoutSeconds || undefined,
          signal: stop.signal,
          color: o.color && !process.env['NO_COLOR'],
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
  for (const [kind, aliases] of [
    ['analysisrun', ['ar', 'analysisruns']],
    ['virtualservice', ['vs', 'virtualservices']],
  ] as const) {
    serverOption(get.command(kind).aliases([...aliases]))
      .argument('[name]')
      .description(`show ${kind}s the way kubectl does`)
      .action(async (name: string | undefined, o: Conn) => {
        code = await (
          await trainer()
        ).getTableCommand(await client(o), kind, name, o.namespace, io.stdout, io.stderr);
      });
  }
  serverUrlOption(
    program
      .command('clock')
      .description("change live mode's simulated clock: its speed, pause and resume (no flags: show it)"),
  )
    .option('--speed <x>', 'simulated seconds per real second from now on', parseSpeed)
    .option('--pause', 'stop simulated time (timers, scrapes, analysis, pauses)')
    .option('--resume', 'let simulated time run again')
    .action(async (o: { server: string; speed?: number; pause?: boolean; resume?: boolean }) => {
      code = await (await trainer()).clockCommand(await client(o), o, io.stdout);
    });
  serverOption(
    program
      .command('hold')
      .description("pause a rollout when it reaches a step (the tree's Step: N/M); promote resumes it"),
  )
    .argument('<rollout>')
    .option('--step <n>', 'the step to hold at', parseBounded('--step', 1, 10_000))
    .option('--clear', 'clear the hold')
    .action(async (rollout: string, o: Conn & { step?: number; clear?: boolean }) => {
      code = await (await trainer()).holdCommand(await client(o), rollout, o, io.stdout);
    });
  serverUrlOption(
    program
      .command('reset')
      .description('start the world again, every object as first applied (pods, metrics, runs, faults anew)'),
  ).action(async (o: { server: string }) => {
    io.stdout.write(`${await (await client(o)).reset()}\n`);
  });
  serverOption(
    program
      .command('dashboard')
      .description(
        'a live terminal dashboard of a rollout: tree, weights, traffic, analysis; p/f/a/r/q keys',
      ),
  )
    .argument('<rollout>')
    .option(
      '--refresh <ms>',
      'how often to read the rollout, in ms',
      parseBounded('--refresh', 100, MAX_TIMER_MS, ' (ms)'),
      500,
    )
    .action(async (rollout: string, o: Conn & { refresh: number }) => {
      if (!process.stdout.isTTY) throw new InputError('dashboard: needs a terminal (stdout is not a TTY)');
      const { runDashboard } = await import('./tui/index.js');
      await runDashboard(await client(o), { namespace: o.namespace, name: rollout, refreshMs: o.refresh });
    });
  serverOption(
    program.command('status').description('watch a rollout until Healthy (exit 0) or Degraded (exit 1)'),
  )
    .argument('<rollout>')
    .option('-t, --timeout <duration>', 'give up after this long (0: never)', '0')
    .option('-w, --watch <bool>', 'keep watching until Healthy or Degraded', parseWatch, true)
    .action(async (rollout: string, o: Conn & { timeout: string; watch: boolean }) => {
      code = await (
        await live()
      ).statusCommand(
        await client(o),
        rollout,
        { namespace: o.namespace, timeout: o.timeout, watch: o.watch },
        io.stdout,
        io.stderr,
      );
    });

  // Faults: -n has no default here, as an image fault without one hits every namespace.
  const fault = program
    .command('fault')
    .description('turn a fault on or off in canarysim serve: errors, latency, readiness, crashes');
  const faultTargetOptions = (cmd: Command) =>
    serverUrlOption(cmd)
      .option('--image <image>', 'the images it hits: repository[:tag], the tag may use * (repo:2.*)')
      .option('--pod <pod>', 'the pod it hits, by name')
      .option(
        '-n, --namespace <ns>',
        "the pod's namespace (default: serve's); with --image alone, only the pods in it",
      );
  faultTargetOptions(
    fault
      .command('set')
      .description(
        'set a fault: the behaviour it gives replaces the app model of the pods it hits, until cleared',
      ),
  )
    .option('--errors <share>', 'answer this share of requests with an error, e.g. 10%')
    .option('--status <status>', 'the error status: 503, or a weighted mix such as 500=3,503=1 (default 500)')
    .option('--latency <latency>', 'answer this slowly: 2s, p50=200ms,p99=2s, fixed=2s or uniform=10ms..50ms')
    .option('--ready <bool>', "false: the readiness probe fails and the pod leaves its Services' endpoints")
    .option('--unhealthy', 'the liveness probe fails (a container with one is killed and restarted)')
    .option('--crash <when>', 'now, or a duration after each process starts (30s)')
    .option(
      '-f, --filename <file>',
      "the whole fault as YAML, as a scenario's fault: writes it (when: rules, saturation, coldStart...)",
    )
    .action(async (o: FaultSetFlags & { server: string }) => {
      code = await (await faults()).faultSetCommand(await client(o), o, io.stdout);
    });
  faultTargetOptions(
    fault.command('clear').description('clear the faults with this exact target (--all: every fault)'),
  )
    .option('--all', 'clear every fault')
    .action(
      async (o: { server: string; image?: string; pod?: string; namespace?: string; all?: boolean }) => {
        code = await (await faults()).faultClearCommand(await client(o), o, io.stdout);
      },
    );
  serverUrlOption(fault.command('list').description('list the faults in force')).action(
    async (o: { server: string }) => {
      code = await (await faults()).faultListCommand(await client(o), io.stdout);
    },
  );

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof InputError) {
      io.stderr.write(`${prefix}: ${e.format()}\n`);
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
