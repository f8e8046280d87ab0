import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunBudget } from '../../cli/scenario/runBounds.js';
import type { Action } from '../../cli/scenario/types.js';
import { InputError } from '../../sim/errors.js';
import { HEADER as INLINE_HEADER, writeInline } from '../helpers/inlineScenario.js';
import { cli } from '../lint/helpers.js';

// A rehearsal's bounds: 30 simulated days, polls of at least 1s, 10^10 requests, 1,000 replicas
// a Rollout and 10,000 together, analysis intervals of at least 1s, YAML 100 levels deep. Each is
// one line at file:line:col and exit 2, before anything runs.

const HEADER = `${INLINE_HEADER}timeline:
  - apply: {kustomize: kustomize/overlays/istio}
`;

/** `canarysim run` on an inline scenario (plus edited files); the error line and where it points. */
async function refused(
  timeline: string,
  files: Record<string, string | ((old: string) => string)> = {},
): Promise<{ code: number; at: string; message: string; stdout: string }> {
  const file = writeInline(HEADER + timeline, files);
  const r = await cli(['run', '-q', file]);
  const m = /^canarysim: (.*?):(\d+:\d+): (.*)\n$/s.exec(r.stderr);
  if (!m) throw new Error(`expected one error line, got ${JSON.stringify(r.stderr)}`);
  return { code: r.code, at: `${path.basename(m[1]!)}:${m[2]}`, message: m[3]!, stdout: r.stdout };
}

describe('simulated time', () => {
  it.each([
    ['wait: .inf', 'invalid duration .inf: expected a Go duration such as 30s, 5m or 1h30m'],
    ['wait: 1e308', 'duration 1e+308 is longer than 720h (30 days)'],
    ['wait: 100000h', 'duration "100000h" is longer than 720h (30 days)'],
  ])('%s is refused at its value', async (action, message) => {
    const r = await refused(`  - ${action}\n`);
    expect(r).toMatchObject({ code: 2, at: 'inline.yaml:10:11', stdout: '' });
    expect(r.message).toBe(`scenario: timeline[1].wait: ${message}`);
  });

  it('a waitUntil timeout over 30 days, and a poll under 1s', async () => {
    const long = await refused(`  - waitUntil: {condition: 'time > 0', timeout: 100000h}\n`);
    expect(long.at).toBe('inline.yaml:10:49');
    expect(long.message).toBe(
      'scenario: timeline[1].waitUntil.timeout: duration "100000h" is longer than 720h (30 days)',
    );
    const fast = await refused(`  - waitUntil: {condition: 'time > 0', timeout: 1h, poll: 1ms}\n`);
    expect(fast.at).toBe('inline.yaml:10:59');
    expect(fast.message).toBe(
      "scenario: timeline[1].waitUntil.poll: poll 1ms is shorter than 1s, canarysim's minimum",
    );
  });

  it('waits adding up to more than 30 days are refused at the one that crosses', async () => {
    const r = await refused(
      `  - wait: 400h\n  - waitUntil: {condition: 'time > 0', timeout: 300h}\n  - wait: 30h\n`,
    );
    expect(r).toMatchObject({ code: 2, at: 'inline.yaml:12:5', stdout: '' });
    expect(r.message).toBe(
      "the timeline's waits and waitUntil timeouts add up to 730h0m0s by here, more than canarysim's limit of 720h0m0s (30 days) for a rehearsal",
    );
  });

  it('at run time too: past 30 days the rehearsal stops with an InputError at the action', () => {
    const budget = new RunBudget(0);
    const wait: Action = { type: 'wait', ms: 0, raw: '', pos: { file: 's.yaml', line: 9, col: 5 } };
    expect(() => budget.advanceTo(wait, 30 * 86_400_000)).not.toThrow();
    expect(() => budget.advanceTo(wait, 30 * 86_400_000 + 1)).toThrow(
      new InputError(
        "the rehearsal would run past 720h0m0s (30 days) of simulated time here, canarysim's limit",
        wait.pos,
      ),
    );
  });
});

describe('requests', () => {
  it('hey -n beyond 10^10 requests', async () => {
    const r = await refused(`  - hey: {id: big, args: '-n 20000000000 http://silly-demo.$ISTIO_HOST/'}\n`);
    expect(r).toMatchObject({ code: 2, at: 'inline.yaml:10:5' });
    expect(r.message).toBe(
      `hey "big" may send up to 20,000,000,000 requests, more than canarysim's limit of 10,000,000,000 per rehearsal`,
    );
  });

  it('traffic at a rate for as long as the timeline runs, added to the loads before it', async () => {
    const r = await refused(
      `  - hey: {id: small, args: '-z 10h -c 10 -q 100 http://silly-demo.$ISTIO_HOST/'}\n` +
        `  - traffic: {id: big, url: 'http://silly-demo.$ISTIO_HOST/', rate: 1000000/s}\n` +
        `  - wait: 3h\n  - stopTraffic: big\n  - wait: 2h\n`,
    );
    expect(r.at).toBe('inline.yaml:11:5');
    // 1,000,000/s for the 3 hours it runs, after hey's 10 × 100/s for the 5 hours it does.
    expect(r.message).toBe(
      `traffic "big" may send up to 10,800,000,000 requests (10,818,000,000 with the loads before it), more than canarysim's limit of 10,000,000,000 per rehearsal`,
    );
    const more = await refused(
      `  - traffic: {id: big, url: 'http://silly-demo.$ISTIO_HOST/', rate: 1000000/s}\n  - wait: 5h\n`,
    );
    expect(more.message).toBe(
      `traffic "big" may send up to 18,000,000,000 requests, more than canarysim's limit of 10,000,000,000 per rehearsal`,
    );
  });

  it('at run time too (a closed-loop hey is only known as it goes)', () => {
    const budget = new RunBudget(0);
    const hey: Action = {
      type: 'hey',
      id: 'load',
      argv: [],
      command: '',
      namespace: 'a',
      summary: true,
      pos: { file: 's.yaml', line: 7, col: 5 },
    };
    budget.send(hey, 'load', 6e9);
    expect(() => budget.send(hey, 'load', 5e9)).toThrow(
      new InputError(
        `hey "load" took the rehearsal past 10,000,000,000 requests, canarysim's limit per rehearsal`,
        hey.pos,
      ),
    );
  });
});

describe('manifests', () => {
  const ROLLOUT = 'kustomize/overlays/istio/rollout.yaml';

  it('a Rollout of a billion replicas, at its replicas field', async () => {
    const r = await refused('', { [ROLLOUT]: (t) => t.replace('  replicas: 5', '  replicas: 1000000000') });
    expect(r).toMatchObject({ code: 2, at: 'rollout.yaml:8:13' });
    expect(r.message).toBe(
      `Rollout "silly-demo": spec.replicas: invalid value 1000000000: expected at most 1000 replicas (canarysim's limit)`,
    );
  });

  it('setCanaryScale beyond 1,000 replicas; a pause longer than an int32 of seconds', async () => {
    const scale = await refused('', {
      [ROLLOUT]: (t) =>
        t.replace('- setWeight: 20', '- setCanaryScale: {replicas: 5000}\n        - setWeight: 20'),
    });
    expect(scale.message).toMatch(
      /setCanaryScale\.replicas: invalid value 5000: expected at most 1000 replicas/,
    );
    const pause = await refused('', {
      [ROLLOUT]: (t) => t.replace(/pause: \{duration: \d+\}/, 'pause: {duration: 1e308}'),
    });
    expect(pause.message).toMatch(/expected at most 2147483647 seconds, an int32/);
  });

  it('Rollouts asking for more than 10,000 replicas together, at the one that crosses', async () => {
    const rollout = readFileSync(
      path.join(import.meta.dirname, '../../scenarios/blog/kustomize/overlays/simple/rollout.yaml'),
      'utf8',
    );
    const many = Array.from({ length: 11 }, (_, i) =>
      rollout.replace('name: silly-demo', `name: silly-demo-${i}`).replace('replicas: 5', 'replicas: 1000'),
    ).join('---\n');
    const r = await refused('  - apply: {file: many.yaml}\n', { 'many.yaml': many });
    expect(r.code).toBe(2);
    // The overlay's silly-demo (5) and nine of 1,000: the tenth crosses.
    const lines = many.split('\n');
    const tenth = lines.map((l, i) => (l === '  replicas: 1000' ? i + 1 : 0)).filter((i) => i > 0)[9];
    expect(r.at).toBe(`many.yaml:${tenth}:13`);
    expect(r.message).toBe(
      `Rollout "silly-demo-9": spec.replicas: the Rollouts would ask for 10,005 replicas together with this one, more than canarysim's limit of 10,000`,
    );
  });

  it('an analysis interval under 1s (1ns would be a billion measurements a second)', async () => {
    const r = await refused('  - apply: {file: cluster-analysis-template.yaml}\n', {
      'cluster-analysis-template.yaml': (t) =>
        t.replace('    - name: success-rate\n', '    - name: success-rate\n      interval: 1ns\n'),
    });
    expect(r).toMatchObject({ code: 2, at: 'cluster-analysis-template.yaml:17:17' });
    expect(r.message).toBe(
      `ClusterAnalysisTemplate "success-rate": spec.metrics[0].interval: interval "1ns" is shorter than 1s, canarysim's minimum between measurements`,
    );
  });
});

describe('YAML nesting (at most 100 levels)', () => {
  it.each([
    ['101 nested lists', `  - say: ${'['.repeat(101)}${']'.repeat(101)}\n`, 'inline.yaml:10:107'],
    // Deeper than the yaml library's own stack: its overflow is the same error.
    ['100,000 nested lists', `  - say: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, undefined],
    [
      'aliases nesting 120 levels deep',
      '  - say: hi\nx0: &x0 [1]\n' +
        Array.from({ length: 120 }, (_, i) => `x${i + 1}: &x${i + 1} [*x${i}]\n`).join(''),
      undefined,
    ],
  ])('%s', async (_, timeline, at) => {
    const r = await refused(timeline);
    expect(r.code).toBe(2);
    if (at) expect(r.at).toBe(at);
    expect(r.message).toBe("invalid YAML: nested more than 100 levels deep (canarysim's limit)");
  });
});
