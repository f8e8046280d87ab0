// Files stay inside their scenario (issue 9): a scenario, its kustomizations and everything they
// name are read only from regular files below the scenario's folder, of bounded size; a refusal
// is one line at the reference's line:col, exit 2, and no file content is echoed.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeFileSystem, ReadBudget } from '../../cli/io/NodeFileSystem.js';
import { inputSandbox } from '../../cli/io/sandboxes.js';
import { quote } from '../../sim/errors.js';
import { FileRefusedError } from '../../sim/manifests/index.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';
import { cli } from '../lint/helpers.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A scenario folder six levels deep in a fresh temp dir (so ../../../../ stays on the machine). */
function folder(): string {
  const top = mkdtempSync(path.join(tmpdir(), 'canarysim-sandbox-'));
  dirs.push(top);
  const dir = path.join(top, 'a/b/c/d');
  mkdirSync(dir, { recursive: true });
  return dir;
}

function write(dir: string, rel: string, text: string): string {
  const p = path.join(dir, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

/** Runs a scenario whose timeline is one apply of `ref` (file, or kustomize with `kustomize`). */
async function applyOf(dir: string, ref: string, kustomize = false) {
  const file = write(
    dir,
    'scenario.yaml',
    `name: sandbox\ntimeline:\n  - apply: {${kustomize ? 'kustomize' : 'file'}: ${ref}}\n`,
  );
  const r = await cli(['run', file]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\bat \S+:\d+:\d+\)|PATH=|HOME=/);
  return r.stderr;
}

const shown = (p: string) => path.relative(process.cwd(), p);

describe('a scenario reads only regular files below its folder', () => {
  it('apply.file naming /proc/self/environ through ../ is refused at its line:col, its content never read', async () => {
    const dir = folder();
    const err = await applyOf(dir, '../../../../proc/self/environ');
    expect(err).toBe(
      `canarysim: ${shown(path.join(dir, 'scenario.yaml'))}:3:19: scenario: timeline[0].apply.file: "../../../../proc/self/environ" is outside the scenario's folder ${dir} (files must be below it; --root DIR allows a wider one)\n`,
    );
  });

  it('an absolute path is refused the same way', async () => {
    const err = await applyOf(folder(), '/proc/self/environ');
    expect(err).toMatch(/apply\.file: "\/proc\/self\/environ" is outside the scenario's folder /);
  });

  it("a kustomization's resources: entry naming /proc/self/environ is refused at the entry's line:col", async () => {
    const dir = folder();
    write(dir, 'k/kustomization.yaml', 'resources:\n  - ../../../../../proc/self/environ\n');
    const err = await applyOf(dir, 'k', true);
    expect(err).toBe(
      `canarysim: ${shown(path.join(dir, 'k/kustomization.yaml'))}:2:5: Kustomization: resources[0]: "../../../../../proc/self/environ" is outside the scenario's folder ${dir} (files must be below it; --root DIR allows a wider one)\n`,
    );
  });

  it('a kustomize folder outside the scenario is refused before anything in it is read', async () => {
    const err = await applyOf(folder(), '../../../../etc', true);
    expect(err).toMatch(/apply\.kustomize: "\.\.\/\.\.\/\.\.\/\.\.\/etc" is outside the scenario's folder/);
  });

  it('a symlink whose target leaves the folder is refused, naming where it leads; one inside the folder is fine', async () => {
    const dir = folder();
    symlinkSync('/etc/passwd', path.join(dir, 'passwd.yaml'));
    expect(await applyOf(dir, 'passwd.yaml')).toMatch(
      /apply\.file: "passwd\.yaml" leads through a symlink to \/etc\/passwd, outside the scenario's folder/,
    );
    // A symlinked folder that leaves: the kustomization inside it is not read.
    const outside = folder();
    write(outside, 'kustomization.yaml', 'resources: []\n');
    symlinkSync(outside, path.join(dir, 'linked'));
    expect(await applyOf(dir, 'linked', true)).toMatch(
      /apply\.kustomize: "linked" leads through a symlink to \S+, outside the scenario's folder/,
    );
    // Inside to inside: read as the file it points to.
    const fs = new NodeFileSystem(dir);
    write(dir, 'real.yaml', 'kind: Namespace\n');
    symlinkSync('real.yaml', path.join(dir, 'alias.yaml'));
    expect(fs.read('alias.yaml')).toBe('kind: Namespace\n');
  });

  it('a FIFO is refused at once (no read that waits for a writer); so is /dev/zero behind a symlink', async () => {
    const dir = folder();
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
    expect(await applyOf(dir, 'pipe.yaml')).toMatch(
      /apply\.file: "pipe\.yaml" is a FIFO \(named pipe\), not a regular file\n$/,
    );
    symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
    expect(await applyOf(dir, 'zero.yaml')).toMatch(/"zero\.yaml" leads through a symlink to \/dev\/zero/);
    // With the whole machine as the sandbox, /dev and /proc are still not files.
    const all = new NodeFileSystem('/', { sandbox: { dir: '/', name: 'the root' } });
    expect(() => all.read('dev/zero')).toThrow(/dev\/zero: is in \/dev, a kernel file system/);
    expect(() => all.read('proc/self/environ')).toThrow(/is in \/proc, a kernel file system/);
  });

  it('a manifest over 4 MiB is refused from its size, before it is read', async () => {
    const dir = folder();
    const big = write(dir, 'big.yaml', '');
    truncateSync(big, 50 * 1024 * 1024); // sparse: stat says 50 MiB, nothing to read
    expect(await applyOf(dir, 'big.yaml')).toMatch(
      /apply\.file: "big\.yaml" is 50 MiB \(52428800 bytes\), over the 4 MiB \(4194304 bytes\) limit for a manifest or other input file\n$/,
    );
  });

  it('a scenario over 1 MiB is refused, naming the file, its size and the limit', async () => {
    const dir = folder();
    const file = write(dir, 'scenario.yaml', 'timeline: []\n');
    truncateSync(file, 50 * 1024 * 1024);
    const r = await cli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `canarysim: ${shown(file)}: is 50 MiB (52428800 bytes), over the 1 MiB (1048576 bytes) limit for a scenario\n`,
    );
  });

  it('the files of one run together stay under 16 MiB', async () => {
    const dir = folder();
    const refs: string[] = [];
    for (let i = 0; i < 5; i++) {
      truncateSync(write(dir, `m${i}.yaml`, ''), 3.5 * 1024 * 1024);
      refs.push(`  - apply: {file: m${i}.yaml}`);
    }
    const file = write(dir, 'scenario.yaml', `timeline:\n${refs.join('\n')}\n`);
    const r = await cli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /scenario\.yaml:6:19: scenario: timeline\[4\]\.apply\.file: "m4\.yaml" would bring the files read together to 17\.5 MiB \(\d+ bytes\), over the 16 MiB \(16777216 bytes\) limit for one command\n$/,
    );
  });

  it('run --root widens the folder: the fixtures that apply the blog from scenarios/ play with the repository as root', async () => {
    const fixture = path.join(REPO_ROOT, 'test/fixtures/scenarios/accounting.yaml');
    const refused = await cli(['run', fixture, '--quiet']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /apply\.kustomize: "\.\.\/\.\.\/\.\.\/scenarios\/blog\/\S+" is outside the scenario's folder/,
    );
    const bad = await cli(['run', fixture, '--root', path.join(REPO_ROOT, 'scenarios')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^canarysim: invalid --root "\S+": \S+accounting\.yaml is not below it/);
  });
});

describe("lint reads below the working directory, or an input's own folder outside it", () => {
  it('the sandbox of a command-line input', () => {
    const cwd = '/work/project';
    expect(inputSandbox('overlays/prod', { directory: true, cwd }).dir).toBe(cwd);
    expect(inputSandbox('/elsewhere/overlays/prod', { directory: true, cwd }).dir).toBe(
      '/elsewhere/overlays/prod',
    );
    expect(inputSandbox('/elsewhere/x.yaml', { cwd }).dir).toBe('/elsewhere');
  });

  it('a kustomization given outside the working directory cannot reach /proc', async () => {
    const dir = folder();
    write(dir, 'kustomization.yaml', 'resources:\n  - ../../../../../../proc/self/environ\n');
    const r = await cli(['lint', '-k', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /kustomization\.yaml:2:5: Kustomization: resources\[0\]: "\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/\.\.\/proc\/self\/environ" is outside the folder given /,
    );
  });

  it('promql test refuses a FIFO named on the command line', async () => {
    const dir = folder();
    execFileSync('mkfifo', [path.join(dir, 'x.test')]);
    const r = await cli(['promql', 'test', path.join(dir, 'x.test')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/x\.test: is a FIFO \(named pipe\), not a regular file\n$/);
  });
});

describe('errors do not echo the content of a file that is not YAML', () => {
  it('a document that is one string is described, not quoted', async () => {
    const dir = folder();
    write(dir, 'env.yaml', 'MY_CI_TOKEN=abcdef0123456789 HOME=/root PATH=/usr/bin\n');
    const r = await cli(['run', write(dir, 'scenario.yaml', 'timeline:\n  - apply: {file: env.yaml}\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /env\.yaml:1:1: manifest: \(document\): expected a mapping, got a string of \d+ characters, not YAML fields \(is this a YAML file\?\)\n$/,
    );
    expect(r.stderr).not.toContain('MY_CI_TOKEN');
  });

  it('a long value is quoted to 40 characters', () => {
    expect(quote('x'.repeat(40))).toBe(JSON.stringify('x'.repeat(40)));
    expect(quote(`MY_CI_TOKEN=${'s'.repeat(100)}`)).toBe(`"MY_CI_TOKEN=${'s'.repeat(28)}"… (112 characters)`);
  });

  it('refusals are FileRefusedErrors (InputErrors: exit 2) naming the path and why', () => {
    const dir = folder();
    write(dir, 'twenty.yaml', 'kind: Namespace # 20\n'.slice(0, 20));
    const fs = new NodeFileSystem(dir, { cwd: dir, budget: new ReadBudget(10) });
    expect(() => fs.read('../../x')).toThrow(FileRefusedError);
    expect(() => fs.read('twenty.yaml')).toThrow(
      'twenty.yaml: would bring the files read together to 20 bytes, over the 10 bytes limit for one command',
    );
    expect(fs.read('missing.yaml')).toBeUndefined();
    expect(fs.read('.')).toBeUndefined();
  });
});

it('the blog copies used by the suite still read: the sandbox takes what stays inside', () => {
  const dir = folder();
  cpSync(path.join(REPO_ROOT, 'scenarios/blog'), dir, { recursive: true });
  const fs = new NodeFileSystem(dir);
  expect(fs.isDirectory('kustomize/overlays/istio')).toBe(true);
  expect(fs.read('kustomize/base/kustomization.yaml')).toContain('deployment.yaml');
});

describe('a snapshot file system (what a virtual run reads through)', () => {
  it('answers a second read of a path from the first, and a plain one reads again', () => {
    const dir = folder();
    write(dir, 'k.yaml', 'one\n');
    const snap = new NodeFileSystem(dir, { snapshot: true });
    const plain = new NodeFileSystem(dir);
    expect(snap.read('k.yaml')).toBe('one\n');
    expect(plain.read('k.yaml')).toBe('one\n');
    expect(snap.isDirectory('sub')).toBe(false);
    write(dir, 'k.yaml', 'two\n');
    mkdirSync(path.join(dir, 'sub'));
    expect(snap.read('k.yaml')).toBe('one\n');
    expect(snap.read(path.join(dir, 'k.yaml'))).toBe('one\n');
    expect(snap.isDirectory('sub')).toBe(false);
    expect(plain.read('k.yaml')).toBe('two\n');
    expect(plain.isDirectory('sub')).toBe(true);
  });

  it('keeps no refusal: a path refused once is refused again, with the same message', () => {
    const dir = folder();
    const snap = new NodeFileSystem(dir, { snapshot: true });
    const first = (() => {
      try {
        snap.read('../../../outside.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(first).toBeInstanceOf(FileRefusedError);
    expect(() => snap.read('../../../outside.yaml')).toThrow((first as Error).message);
  });
});
