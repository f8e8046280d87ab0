// Errors that used to come without a line:col (or at the wrong one): empty and multi-document
// files, kustomization cycles and folders without a kustomization, a bad setImage image, PromQL
// positions after non-ASCII text, and `run <folder>`.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/runCli.js';
import { PromQLParseError, parseExpr } from '../../sim/promql/index.js';
import { REPO_ROOT } from '../helpers/runScenarioFile.js';

const root = mkdtempSync(path.join(tmpdir(), 'canarysim-pos-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(rel: string, text: string): string {
  const p = path.join(root, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io = { write: (s: string) => (out += s) };
  const code = await runCli(args, { stdout: io, stderr: io });
  return { code, out };
}

describe('errors name the line and column', () => {
  it('an empty scenario, and a scenario with a second document', async () => {
    const empty = write('empty.yaml', '# only a comment\n');
    const e = await run(['run', empty]);
    expect(e.code).toBe(2);
    expect(e.out).toMatch(
      /^canarysim: \S*empty\.yaml:1:1: expected a scenario, found an empty file \(or only comments\)\n$/,
    );
    const two = write('two.yaml', 'name: a\ntimeline: []\n---\nname: b\n');
    const r = await run(['run', two]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`two.yaml:3:1: expected one YAML document (a scenario), found a second one here`);
  });

  it('kustomizations: a cycle at the resource that closes it, a folder without one, an empty one', async () => {
    write('k/a/kustomization.yaml', 'resources:\n  - b\n');
    write('k/a/b/kustomization.yaml', 'resources:\n  - ../\n');
    let r = await run(['lint', '-k', path.join(root, 'k/a')]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(
      /a\/b\/kustomization\.yaml:2:5: Kustomization: resources\[0\]: resource "\.\.\/": cycle in kustomization resources: \S*kustomization\.yaml -> \S*b\/kustomization\.yaml -> \S*kustomization\.yaml\n/,
    );
    write('k/c/kustomization.yaml', 'resources:\n  - sub/.\n');
    write('k/c/sub/notes.txt', 'no kustomization here\n');
    r = await run(['lint', '-k', path.join(root, 'k/c')]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(
      /c\/kustomization\.yaml:2:5: Kustomization: resources\[0\]: resource "sub\/\.": unable to find one of 'kustomization\.yaml', 'kustomization\.yml' or 'Kustomization' in directory/,
    );
    write('k/d/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n');
    r = await run(['lint', '-k', path.join(root, 'k/d')]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/d\/kustomization\.yaml:1:1: kustomization\.yaml is empty/);
    write('k/e/kustomization.yaml', 'resources: []\n---\nresources: []\n');
    r = await run(['lint', '-k', path.join(root, 'k/e')]);
    expect(r.out).toMatch(
      /e\/kustomization\.yaml:2:1: expected one YAML document \(a kustomization\), found a second one here/,
    );
  });

  it('a setImage image kustomize cannot read, at the image', async () => {
    write('s/k/kustomization.yaml', 'resources: []\nnamespace: x\n');
    const sc = write(
      's/scenario.yaml',
      'name: t\ntimeline:\n  - setImage: { kustomization: k, image: gh }\n',
    );
    const r = await run(['run', sc]);
    expect(r.code).toBe(2);
    expect(r.out).toContain(
      'scenario.yaml:3:42: scenario: timeline[0].setImage.image: invalid image "gh": expected <name>=<newName>:<newTag> or <name>:<newTag>',
    );
  });

  it('a misspelt name in a condition, at the name, before anything runs', async () => {
    const sc = write(
      'names/scenario.yaml',
      'name: t\ntimeline:\n  - waitUntil: \'rollout["a"].phase == "Healthy"\'\nexpect:\n  - \'let n = 1; n > 0 && time > 0\'\n',
    );
    expect((await run(['run', sc])).out).toMatch(
      /scenario\.yaml:3:17: scenario: timeline\[0\]\.waitUntil: invalid condition: unknown name rollout \(a scenario's condition reads time, rollouts, analysisRuns, [^)]*\) \(did you mean "rollouts"\?\)\n$/,
    );
  });

  it('run <folder> runs its scenario.yaml, and says so when there is none', async () => {
    const r = await run(['run', '-q', path.join(REPO_ROOT, 'scenarios/drills/subset-split')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('PASS');
    const none = path.join(root, 'k');
    expect(await run(['run', none])).toEqual({
      code: 2,
      out: `canarysim: ${none}: a folder without a scenario.yaml; expected a scenario file\n`,
    });
  });

  it('PromQL positions after non-ASCII text: Prometheus counts bytes, the file counts characters', async () => {
    // Prometheus's own message counts UTF-8 bytes (1:37 here, as `promtool` prints it)…
    try {
      parseExpr('sum(x{a="éééééééééé"}) + )');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PromQLParseError);
      expect((e as PromQLParseError).format()).toBe("1:37: parse error: unexpected right parenthesis ')'");
      expect((e as PromQLParseError).index).toBe(26);
    }
    // …while the position in a YAML file is a line and a column of characters.
    const t = write(
      'at.yaml',
      [
        'apiVersion: argoproj.io/v1alpha1',
        'kind: AnalysisTemplate',
        'metadata: {name: t}',
        'spec:',
        '  metrics:',
        '    - name: m',
        '      successCondition: result[0] > 0',
        '      provider:',
        '        prometheus:',
        '          address: http://prometheus:9090',
        '          query: |',
        '            sum(x{a="éééééééééé"})',
        '              + )',
        '',
      ].join('\n'),
    );
    const r = await run(['lint', t]);
    expect(r.out).toContain('at.yaml:13:18: error promql-syntax');
    expect(r.code).toBe(1);
  });

  it('a file that is not UTF-8, at the first byte that is not', async () => {
    const f = path.join(root, 'latin1.yaml');
    writeFileSync(f, Buffer.from('name: t\ntimeline:\n  - wait: 5s # caf\xe9\n', 'latin1'));
    expect(await run(['run', f])).toEqual({
      code: 2,
      out: `canarysim: ${path.relative(process.cwd(), f)}:3:19: invalid UTF-8 (byte 0xe9 at offset 36); expected a UTF-8 text file\n`,
    });
  });

  it('a folder where a file is expected, and a symlink loop, say what they are', async () => {
    const dir = path.join(root, 'k');
    mkdirSync(dir, { recursive: true });
    expect((await run(['promql', 'test', dir])).out).toBe(
      `canarysim: ${path.relative(process.cwd(), dir)}: is a folder; expected a file\n`,
    );
    const loop = path.join(root, 'loop-a');
    symlinkSync(path.join(root, 'loop-b'), loop);
    symlinkSync(loop, path.join(root, 'loop-b'));
    expect(await run(['run', loop])).toEqual({
      code: 2,
      out: `canarysim: ${path.relative(process.cwd(), loop)}: is a symlink loop (too many levels of symbolic links)\n`,
    });
  });
});
