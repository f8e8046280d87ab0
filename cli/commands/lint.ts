import { isRfc1123Label } from '../../sim/cluster/index.js';
import { InputError } from '../../sim/errors.js';
import {
  ARGO_PROFILES,
  DEFAULT_ARGO_PROFILE,
  isArgoProfile,
  type ArgoProfile,
} from '../../sim/rollout/index.js';
import { ReadBudget } from '../io/NodeFileSystem.js';
import { inputFileSystem } from '../io/sandboxes.js';
import {
  LINT_INPUT,
  lintExitCode,
  lintJson,
  lintManifests,
  loadLintInputs,
  renderLintText,
  RULES,
  type Finding,
  type LintInputs,
  type Severity,
} from '../lint/index.js';
import { parseScenario } from '../scenario/parseScenario.js';
import { parseScrapeInterval } from './serve.js';
import { parseRps } from './matrix.js';
import type { DeclaredRate } from '../lint/checkSampleSize.js';
import { scenarioRate } from '../lint/scenarioRate.js';

export interface LintCommandOptions {
  /** `-k DIR`, any number of times. */
  kustomize: string[];
  /** `-n NS`; undefined: `default`, and objects without a namespace may be applied to any. */
  namespace?: string;
  json?: boolean;
  /** `--ignore RULE`, any number of times: findings of these rules are dropped. */
  ignore?: string[];
  /** `--root DIR`: read files from below DIR (default: see inputSandbox). */
  root?: string;
  /** `--fail-on error|warning`: the least severe finding that makes the exit code 1 (default warning). */
  failOn?: string;
  /** `--scrape-interval D`: the scrape interval range selectors are judged against. */
  scrapeInterval?: string;
  /** `--argo-version V`: the Argo Rollouts release whose messages the findings quote. */
  argoVersion?: string;
  /** `--rps N`: the traffic the sample-size advisor judges query windows at. */
  rps?: string;
}

export interface Out {
  write(s: string): unknown;
}

const SEVERITIES: readonly Severity[] = ['error', 'warning'];

/** The settings lint judges by: flags first, then a scenario among the inputs, then canarysim's defaults. */
interface Settings {
  argo: ArgoProfile;
  scrape?: { ms: number; source: string };
  podTimings?: ReturnType<typeof parseScenario>['settings']['pods'];
  rate?: DeclaredRate;
}

function settingsOf(o: LintCommandOptions, scenarios: LintInputs['scenarios']): Settings {
  if (scenarios.length > 1)
    throw new InputError(
      `lint: ${scenarios.map((s) => s.fs.display(s.path)).join(', ')}: more than one scenario: pass the one whose settings (scrape interval, Argo Rollouts version) the manifests run under`,
    );
  const sc = scenarios[0] && parseScenario(scenarios[0].fs, scenarios[0].path);
  const shown = scenarios[0] && scenarios[0].fs.display(scenarios[0].path);
  const argo = o.argoVersion ?? sc?.settings.argo ?? DEFAULT_ARGO_PROFILE;
  if (!isArgoProfile(argo))
    throw new InputError(
      `lint --argo-version: invalid value ${JSON.stringify(argo)}: expected one of ${Object.keys(ARGO_PROFILES).join(', ')}`,
    );
  const scrape =
    o.scrapeInterval !== undefined
      ? { ms: parseScrapeInterval(o.scrapeInterval), source: '--scrape-interval' }
      : sc
        ? { ms: sc.settings.scrapeIntervalMs, source: `the scrape interval of ${shown}` }
        : undefined;
  const rate =
    o.rps !== undefined
      ? { perSecond: parseRps(o.rps, 'lint --rps'), source: '--rps' }
      : sc && shown
        ? scenarioRate(sc, shown)
        : undefined;
  return { argo, scrape, podTimings: sc?.settings.pods, ...(rate ? { rate } : {}) };
}

/** Unreadable inputs as `input` findings, where the error says (or at the input itself). */
function inputFindings(unreadable: LintInputs['unreadable']): Finding[] {
  return unreadable.map(({ input, error }) => ({
    rule: 'input',
    severity: RULES.input.severity,
    message: error.message,
    pos: error.pos ?? { file: input, line: 0, col: 0 },
  }));
}

function checkFlags(files: readonly string[], o: LintCommandOptions): void {
  if (files.length === 0 && o.kustomize.length === 0)
    throw new InputError('lint: expected manifest files and/or -k <kustomization dir>');
  for (const r of o.ignore ?? []) {
    if (r === 'input')
      throw new InputError(
        'lint --ignore: rule "input" cannot be ignored: an input that cannot be read stops lint (exit 2)',
      );
    if (!Object.hasOwn(RULES, r))
      throw new InputError(
        `lint --ignore: unknown rule ${JSON.stringify(r)} (expected one of: ${Object.keys(RULES)
          .filter((k) => k !== 'input')
          .join(', ')})`,
      );
  }
  if (o.failOn !== undefined && !(SEVERITIES as readonly string[]).includes(o.failOn))
    throw new InputError(
      `lint --fail-on: invalid value ${JSON.stringify(o.failOn)}: expected error or warning`,
    );
  if (o.namespace !== undefined && !isRfc1123Label(o.namespace))
    throw new InputError(
      `lint -n: invalid namespace ${JSON.stringify(o.namespace)}: expected a DNS label (lowercase letters, digits and '-', at most 63)`,
    );
}

/**
 * `canarysim lint [FILE...] [-k DIR...] [-n NS] [--json] [--ignore RULE...] [--fail-on SEVERITY]
 * [--scrape-interval D] [--argo-version V]`: loads the manifests as one set (as if applied
 * together), lints them and prints the findings and timelines. Every problem of every file is a
 * finding — what a cluster would reject (`invalid-manifest`) and what canarysim does not simulate
 * (`not-simulated`) included. A scenario among the inputs supplies the settings (scrape
 * interval, Argo Rollouts version, pod timings) unless a flag sets them. Exit 0 when clean, 1 on
 * a finding at least as severe as `--fail-on` (default: any); input that cannot be read (no such
 * file, YAML that does not parse, a Helm template), or a bad flag, is an InputError (exit 2 from
 * runCli) — with `--json`, the report is printed first, each unreadable input an `input` finding.
 */
export function lintCommand(files: readonly string[], o: LintCommandOptions, out: Out): number {
  const failOn = (o.failOn ?? 'warning') as Severity;
  const ignore = o.ignore ?? [];
  let read: Read;
  try {
    read = readInputs(files, o);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    read = { unreadable: [{ input: '', error: e }] };
  }
  if ('unreadable' in read) {
    if (o.json) {
      const result = { findings: inputFindings(read.unreadable), timelines: [], untimed: [], counts: {} };
      const shown = SEVERITIES.includes(failOn) ? failOn : 'warning';
      out.write(
        `${JSON.stringify(lintJson(result, { ignored: ignore, failOn: shown, exitCode: LINT_INPUT }), null, 2)}\n`,
      );
    }
    throw read.unreadable[0]!.error;
  }
  const { inputs, settings } = read;
  const all = lintManifests(inputs.objects, {
    namespace: o.namespace ?? 'default',
    namespaceGiven: o.namespace !== undefined,
    issues: inputs.issues,
    argo: settings.argo,
    scrape: settings.scrape,
    podTimings: settings.podTimings,
    ...(settings.rate ? { rate: settings.rate } : {}),
  });
  const result = { ...all, findings: all.findings.filter((f) => !ignore.includes(f.rule)) };
  const ignored = all.findings.length - result.findings.length;
  out.write(
    o.json
      ? `${JSON.stringify(lintJson(result, { ignored: ignore, failOn }), null, 2)}\n`
      : renderLintText(result, ignored),
  );
  return lintExitCode(result.findings, failOn);
}

type Read = { inputs: LintInputs; settings: Settings } | { unreadable: LintInputs['unreadable'] };

/** Flags, inputs and settings; what cannot be read is returned, a bad flag or scenario thrown. */
function readInputs(files: readonly string[], o: LintCommandOptions): Read {
  checkFlags(files, o);
  // Each input reads below its own sandbox; together they read at most one command's budget.
  const budget = new ReadBudget();
  const inputs = loadLintInputs(
    (input, directory) => inputFileSystem(input, { root: o.root, directory, budget }),
    files,
    o.kustomize,
  );
  if (inputs.unreadable.length > 0) return { unreadable: inputs.unreadable };
  const settings = settingsOf(o, inputs.scenarios);
  const [sc] = inputs.scenarios;
  if (sc && files.length === inputs.scenarios.length && o.kustomize.length === 0)
    throw new InputError(
      `${sc.fs.display(sc.path)}: a canarysim scenario supplies settings only: lint the manifests it applies with it (canarysim lint -k DIR FILE… ${sc.fs.display(sc.path)}), or play it with canarysim run`,
    );
  return { inputs, settings };
}
