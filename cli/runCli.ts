import { Command, CommanderError } from 'commander';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../sim/errors.js';
import { OverlayFileSystem } from '../sim/manifests/index.js';
import { NodeFileSystem } from './io/NodeFileSystem.js';
import { parseScenario } from './scenario/parseScenario.js';
import { buildReport } from './scenario/report.js';
import { runScenario } from './scenario/runScenario.js';
import { validateScenario } from './scenario/validateScenario.js';
import { renderRunEvent } from './views/renderRunEvent.js';

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

async function runFile(
  file: string,
  opts: { seed?: number; json?: string; quiet?: boolean },
  io: CliIo,
): Promise<number> {
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
  return result.passed ? EXIT_OK : EXIT_FAILED;
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

  program
    .command('run')
    .description(
      'play a scenario on the virtual clock; exit 0 when its expectations hold, 1 when not, 2 on invalid input',
    )
    .argument('<scenario>', 'scenario file (YAML)')
    .option('--seed <n>', "random seed (default: the scenario's)", parseSeed)
    .option('--json <file>', 'write the JSON report (docs/report.md) to this file')
    .option('-q, --quiet', 'print only expectations and the verdict')
    .action(async (file: string, o: { seed?: number; json?: string; quiet?: boolean }) => {
      code = await runFile(file, o, io);
    });

  program
    .command('demo')
    .description("play the blog's whole story (scenarios/blog/scenario.yaml)")
    .option('--seed <n>', 'random seed', parseSeed)
    .option('--json <file>', 'write the JSON report to this file')
    .action(async (o: { seed?: number; json?: string }) => {
      code = await runFile(path.join(packageRoot(), 'scenarios/blog/scenario.yaml'), o, io);
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
