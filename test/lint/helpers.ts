import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NodeFileSystem } from '../../cli/io/NodeFileSystem.js';
import { lintManifests, loadLintInputs, type LintResult } from '../../cli/lint/index.js';
import { runCli } from '../../cli/runCli.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

export { REPO_ROOT };
export const FIXTURES = 'test/lint/fixtures';
export const BLOG = 'scenarios/blog';
export const BLOG_TEMPLATE = `${BLOG}/cluster-analysis-template.yaml`;
export const overlay = (name: string) => `${BLOG}/kustomize/overlays/${name}`;
export const fixture = (name: string) => `${FIXTURES}/${name}.yaml`;

/** How the CLI shows a repo-relative path: relative to the working directory. */
export const shown = (file: string) => path.relative(process.cwd(), path.join(REPO_ROOT, file));

/** Lints repo-relative files and kustomizations in-process, as `canarysim lint` does. */
export function lint(files: readonly string[], kustomize: readonly string[] = []): LintResult {
  const { objects, issues } = loadLintInputs(new NodeFileSystem(REPO_ROOT), files, kustomize);
  return lintManifests(objects, { namespace: 'default', issues });
}

/** `file:line:col` of the `nth` occurrence (from 1) of `needle` in a repo-relative file, plus `shift` characters. */
export function where(file: string, needle: string, shift = 0, nth = 1): string {
  const text = readFileSync(path.join(REPO_ROOT, file), 'utf8');
  let at = -1;
  for (let i = 0; i < nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${JSON.stringify(needle)} (#${nth}) not in ${file}`);
  }
  at += shift;
  const before = text.slice(0, at);
  return `${shown(file)}:${before.split('\n').length}:${at - before.lastIndexOf('\n')}`;
}

/** An absolute path, for the CLI (which resolves paths against the working directory). */
export const abs = (file: string) => path.join(REPO_ROOT, file);

/** Runs the CLI in-process, capturing its output. */
export async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}
