import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT, runScenarioFile, type ScenarioRun } from './runScenarioFile.js';

/**
 * Plays a scenario written inline, in a temp copy of the blog's manifests (so `kustomize/...`
 * and `cluster-analysis-template.yaml` resolve), plus any extra files.
 */
export async function runInline(
  scenario: string,
  files: Record<string, string | ((old: string) => string)> = {},
  seed?: number,
): Promise<ScenarioRun> {
  return runScenarioFile(writeInline(scenario, files), seed);
}

// Every temp copy goes when the test process ends (2,000+ were left in /tmp per `npm test`).
const made: string[] = [];
process.once('exit', () => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** Writes an inline scenario beside a temp copy of the blog's manifests; returns its path. */
export function writeInline(
  scenario: string,
  files: Record<string, string | ((old: string) => string)> = {},
): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'canarysim-inline-'));
  made.push(dir);
  cpSync(path.join(REPO_ROOT, 'scenarios/blog'), dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    const p = path.join(dir, name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, typeof content === 'string' ? content : content(readFileSync(p, 'utf8')));
  }
  writeFileSync(path.join(dir, 'inline.yaml'), scenario);
  return path.join(dir, 'inline.yaml');
}

export const HEADER = `
namespace: a-team
cluster:
  namespaces:
    a-team: {istioInjection: true}
env:
  ISTIO_HOST: 127.0.0.1.nip.io
`;
