import { isRfc1123Label } from '../../sim/cluster/index.js';
import { InputError } from '../../sim/errors.js';
import { ReadBudget } from '../io/NodeFileSystem.js';
import { inputFileSystem } from '../io/sandboxes.js';
import { checkWritable, writeAtomically } from '../io/writeAtomically.js';
import { lintManifests, loadLintInputs } from '../lint/index.js';
import { matrixTarget, refuseUnplayable } from '../matrix/matrixTarget.js';
import { matrixJson, renderMatrixMarkdown, renderMatrixText } from '../matrix/renderMatrix.js';
import { runMatrix } from '../matrix/runMatrix.js';
import { SITUATIONS } from '../matrix/situations.js';
import { standInObjects } from '../matrix/standInObjects.js';
import { parseScenario } from '../scenario/parseScenario.js';
import { MAX_RATE_PER_SECOND } from '../scenario/quantities.js';
import { EXIT_FAILED, EXIT_OK } from '../runCli.js';

/** The load rows with traffic send when `--rps` is not given: a quiet service, as at night. */
export const DEFAULT_MATRIX_RPS = 10;

export interface MatrixFlags {
  kustomize: string[];
  namespace?: string;
  rollout?: string;
  rps?: string;
  seed?: number;
  accept?: string[];
  /** `--arg NAME=VALUE`: template args for the stand-in Rollout (templates given alone). */
  arg?: string[];
  json?: string;
  markdown?: string;
  root?: string;
}

export interface Out {
  write(s: string): unknown;
}

/** `--rps`: requests per second, above 0, at most the scenario's rate bound. */
export function parseRps(v: string, flag = '--rps'): number {
  const n = /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
  if (!(n > 0 && n <= MAX_RATE_PER_SECOND))
    throw new InputError(
      `invalid ${flag} ${JSON.stringify(v)}: expected requests per second above 0 and at most ${MAX_RATE_PER_SECOND}, such as 10 or 0.5`,
    );
  return n;
}

/** `--arg NAME=VALUE`s as a map; a malformed one is bad input. */
function parseArgs(list: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of list) {
    const eq = a.indexOf('=');
    if (eq <= 0)
      throw new InputError(
        `invalid --arg ${JSON.stringify(a)}: expected NAME=VALUE, such as service-name=checkout`,
      );
    out.set(a.slice(0, eq), a.slice(eq + 1));
  }
  return out;
}

function checkFlags(files: readonly string[], o: MatrixFlags): void {
  if (files.length === 0 && o.kustomize.length === 0)
    throw new InputError('matrix: expected manifest files and/or -k <kustomization dir>');
  const ids = SITUATIONS.map((s) => s.id);
  for (const a of o.accept ?? [])
    if (!ids.includes(a))
      throw new InputError(`invalid --accept ${JSON.stringify(a)}: expected a row: ${ids.join(', ')}`);
  if (o.namespace !== undefined && !isRfc1123Label(o.namespace))
    throw new InputError(
      `matrix -n: invalid namespace ${JSON.stringify(o.namespace)}: expected a DNS label (lowercase letters, digits and '-', at most 63)`,
    );
}

/**
 * `canarysim matrix [FILE...] [-k DIR...]`: the edge-case matrix of a Rollout's analyses. The
 * inputs are read as `lint` reads them (a scenario among them supplies its settings); what a
 * rehearsal cannot play is refused at its field. Each situation is played as a scenario of its
 * own; the table says what the measurements, metric, run and rollout did, and flags the traps.
 * Exit 0 when no row is flagged (or every flagged one is accepted), 1 otherwise, 2 on bad input.
 */
export async function matrixCommand(files: readonly string[], o: MatrixFlags, out: Out): Promise<number> {
  checkFlags(files, o);
  const rps = o.rps === undefined ? DEFAULT_MATRIX_RPS : parseRps(o.rps);
  if (o.json) checkWritable(o.json);
  if (o.markdown) checkWritable(o.markdown);
  const budget = new ReadBudget();
  const inputs = loadLintInputs(
    (input, directory) => inputFileSystem(input, { root: o.root, directory, budget }),
    files,
    o.kustomize,
  );
  if (inputs.unreadable.length > 0) throw inputs.unreadable[0]!.error;
  const sc = inputs.scenarios[0] && parseScenario(inputs.scenarios[0].fs, inputs.scenarios[0].path);
  const namespace = o.namespace ?? sc?.settings.namespace ?? 'default';
  const args = parseArgs(o.arg ?? []);
  const alone =
    !inputs.objects.some((x) => x.kind === 'Rollout') &&
    inputs.objects.some((x) => x.kind === 'AnalysisTemplate' || x.kind === 'ClusterAnalysisTemplate');
  if (alone) {
    // What the templates alone cannot be rehearsed with is said before their args are asked for.
    refuseUnplayable(
      lintManifests(inputs.objects, { namespace, namespaceGiven: true, issues: inputs.issues }),
    );
    inputs.objects.push(...standInObjects(inputs, namespace, args));
  } else if (args.size > 0)
    throw new InputError(
      'invalid --arg: the Rollout among the inputs gives its templates their args (--arg is for templates given alone)',
    );
  const lint = lintManifests(inputs.objects, {
    namespace,
    namespaceGiven: true,
    issues: inputs.issues,
    ...(sc ? { argo: sc.settings.argo, podTimings: sc.settings.pods } : {}),
    ...(sc ? { scrape: { ms: sc.settings.scrapeIntervalMs, source: 'the scenario' } } : {}),
  });
  const target = matrixTarget(inputs, lint, { rollout: o.rollout, namespace });
  const result = await runMatrix(target, {
    rps,
    accept: o.accept ?? [],
    ...(o.seed !== undefined ? { seed: o.seed } : {}),
  });
  out.write(renderMatrixText(result));
  if (o.json) writeAtomically(o.json, `${JSON.stringify(matrixJson(result), null, 2)}\n`);
  if (o.markdown) writeAtomically(o.markdown, renderMatrixMarkdown(result));
  return result.failed > 0 ? EXIT_FAILED : EXIT_OK;
}
