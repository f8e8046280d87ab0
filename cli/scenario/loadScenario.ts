import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../sim/errors.js';
import { OverlayFileSystem } from '../../sim/manifests/index.js';
import { NodeFileSystem } from '../io/NodeFileSystem.js';
import { scenarioSandbox } from '../io/sandboxes.js';
import type { Override } from './overrides.js';
import { parseScenario } from './parseScenario.js';
import type { Scenario } from './types.js';
import { validateScenario } from './validateScenario.js';

/** A scenario file, or a folder that holds one as scenario.yaml (the drills' layout). */
export function scenarioPath(file: string): string {
  const abs = path.resolve(file);
  let isDir = false;
  try {
    isDir = statSync(abs, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    // A symlink loop, a path through a file, no permission: the sandboxed read that follows
    // names the problem for a file.
  }
  if (!isDir) return abs;
  for (const name of ['scenario.yaml', 'scenario.yml']) {
    const inside = path.join(abs, name);
    if (existsSync(inside)) return inside;
  }
  throw new InputError(`${file}: a folder without a scenario.yaml; expected a scenario file`);
}

export interface LoadOptions {
  /** `--root DIR`: read files from below DIR instead of the scenario's own folder. */
  root?: string;
  /** `--set` and `--env`, in the order given. */
  overrides?: readonly Override[];
}

/**
 * Reads, parses and validates a scenario as `run` and `test` play it: files from below its own
 * folder (or `root`), the overrides applied before validation. Throws the first InputError.
 */
export function loadScenario(
  file: string,
  opts: LoadOptions = {},
): { scenario: Scenario; fs: OverlayFileSystem } {
  const abs = scenarioPath(file);
  const fs = new OverlayFileSystem(
    new NodeFileSystem(path.dirname(abs), { sandbox: scenarioSandbox(abs, opts.root), snapshot: true }),
  );
  const scenario = parseScenario(fs, path.basename(abs), opts.overrides);
  validateScenario(scenario, fs);
  return { scenario, fs };
}
