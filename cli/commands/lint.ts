import { isRfc1123Label } from '../../sim/cluster/index.js';
import { InputError } from '../../sim/errors.js';
import { ReadBudget } from '../io/NodeFileSystem.js';
import { inputFileSystem } from '../io/sandboxes.js';
import {
  lintExitCode,
  lintJson,
  lintManifests,
  loadLintInputs,
  renderLintText,
  RULES,
} from '../lint/index.js';

export interface LintCommandOptions {
  /** `-k DIR`, any number of times. */
  kustomize: string[];
  namespace: string;
  json?: boolean;
  /** `--ignore RULE`, any number of times: findings of these rules are dropped. */
  ignore?: string[];
  /** `--root DIR`: read files from below DIR (default: see inputSandbox). */
  root?: string;
}

export interface Out {
  write(s: string): unknown;
}

/**
 * `canarysim lint [FILE...] [-k DIR...] [-n NS] [--json] [--ignore RULE...]`: loads the manifests
 * as one set (as if applied together), lints them and prints the findings and timelines. Every
 * problem of every file is a finding — what a cluster would reject (`invalid-manifest`) and what
 * canarysim does not simulate (`not-simulated`) included. Exit 0 when clean, 1 on any finding not
 * ignored; input that cannot be read (no such file, YAML that does not parse, a Helm template), or
 * a bad flag, is an InputError (exit 2 from runCli).
 */
export function lintCommand(files: readonly string[], o: LintCommandOptions, out: Out): number {
  if (files.length === 0 && o.kustomize.length === 0)
    throw new InputError('lint: expected manifest files and/or -k <kustomization dir>');
  const ignore = o.ignore ?? [];
  for (const r of ignore)
    if (!Object.hasOwn(RULES, r))
      throw new InputError(
        `lint --ignore: unknown rule ${JSON.stringify(r)} (expected one of: ${Object.keys(RULES).join(', ')})`,
      );
  if (!isRfc1123Label(o.namespace))
    throw new InputError(
      `lint -n: invalid namespace ${JSON.stringify(o.namespace)}: expected a DNS label (lowercase letters, digits and '-', at most 63)`,
    );
  // Each input reads below its own sandbox; together they read at most one command's budget.
  const budget = new ReadBudget();
  const { objects, issues } = loadLintInputs(
    (input, directory) => inputFileSystem(input, { root: o.root, directory, budget }),
    files,
    o.kustomize,
  );
  const all = lintManifests(objects, { namespace: o.namespace, issues });
  const result = { ...all, findings: all.findings.filter((f) => !ignore.includes(f.rule)) };
  const ignored = all.findings.length - result.findings.length;
  out.write(
    o.json ? `${JSON.stringify(lintJson(result, ignore), null, 2)}\n` : renderLintText(result, ignored),
  );
  return lintExitCode(result.findings);
}
