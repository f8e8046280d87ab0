// A fast start (README, Development): a command loads only what it uses, and the bundle the bin
// runs (dist/bundle/, built by `npm run build`) behaves as tsc's dist/cli/main.js does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

const MAIN = path.join(REPO_ROOT, 'dist/cli/main.js');
const BUNDLE = path.join(REPO_ROOT, 'dist/bundle/main.js');

// A module loader hook that names every module node loads, on stderr.
const HOOKS = `data:text/javascript,${encodeURIComponent(
  'export async function load(url, context, next) { console.error("LOADED " + url); return next(url, context); }',
)}`;
const REGISTER = `data:text/javascript,${encodeURIComponent(
  `import { register } from 'node:module'; register(${JSON.stringify(HOOKS)});`,
)}`;

function node(args: string[]) {
  const r = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('start-up', () => {
  for (const [name, main] of [
    ['dist/cli/main.js', MAIN],
    ['the bundle', BUNDLE],
  ] as const)
    it(`--version (${name}) loads commander and no dependency or module of the simulation`, () => {
      const r = node(['--import', REGISTER, main, '--version']);
      expect(r.code).toBe(0);
      expect(r.out).toBe(
        `${(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`,
      );
      const loaded = r.err
        .split('\n')
        .filter((l) => l.startsWith('LOADED '))
        .map((l) => l.slice('LOADED '.length));
      const packages = new Set(loaded.flatMap((u) => /node_modules\/([^/]+)\//.exec(u)?.[1] ?? []));
      expect([...packages]).toEqual(['commander']);
      const ours = loaded.filter((u) => u.startsWith('file:') && !u.includes('/node_modules/'));
      expect(ours.length).toBeGreaterThan(0);
      for (const u of ours)
        expect(u).not.toMatch(/\/dist\/(sim\/(?!errors\.js|clock\/RealClock\.js)|loadgen\/|app\/)/);
    });
});

describe('the bundle (the bin, npm start) and dist/cli/main.js', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'canarysim-bundle-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('give the same output, report and exit code for a run, and for bad input', () => {
    const run = (main: string, json: string) =>
      node([main, 'run', 'scenarios/drills/podinfo/scenario.yaml', '--json', path.join(tmp, json)]);
    const a = run(MAIN, 'a.json');
    const b = run(BUNDLE, 'b.json');
    expect(a.code).toBe(0);
    expect(b).toEqual(a);
    expect(readFileSync(path.join(tmp, 'b.json'), 'utf8')).toBe(
      readFileSync(path.join(tmp, 'a.json'), 'utf8'),
    );
    const bad = (main: string) => node([main, 'run', 'scenarios/blog/scenario.yaml', '--set', 'seed']);
    expect(bad(MAIN).code).toBe(2);
    expect(bad(BUNDLE)).toEqual(bad(MAIN));
  });
});
