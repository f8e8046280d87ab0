// Strict expectations (issue 10, item 2): a scenario condition that reads a field or a name its
// state cannot have is refused before anything runs; the helpers abortedAt / healthyAt /
// canaryErrorsBeforeAbort; the values a failed expectation saw.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/runCli.js';
import { MAX_OBSERVED, MAX_OBSERVED_CHARS } from '../../cli/scenario/observe.js';
import { evaluateBoolCondition, parseCondition } from '../../sim/analysis/condition/index.js';
import { HEADER, runInline, writeInline } from '../helpers/inlineScenario.js';
import { BLOG_SCENARIO, runScenarioFile, type ScenarioRun } from '../helpers/runScenarioFile.js';

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io = { write: (s: string) => (out += s) };
  const code = await runCli(args, { stdout: io, stderr: io });
  return { code, out };
}

const R = 'rollouts["silly-demo"]';

/** A file as the CLI names it: relative to the working directory. */
const shown = (file: string) => path.relative(process.cwd(), file);

/** The blog's manifests with a query, a hey and a traffic id, and one condition under test. */
function scenarioWith(condition: string, overlay = 'istio-prometheus'): string {
  return writeInline(`${HEADER}
timeline:
  - apply: {file: cluster-analysis-template.yaml}
  - apply: {kustomize: kustomize/overlays/${overlay}}
  - hey: {id: load, args: '-z 2s "http://silly-demo.$ISTIO_HOST"'}
  - traffic: {id: users, url: "http://silly-demo.$ISTIO_HOST/", rate: 5/s, duration: 2s}
  - query: {id: total, expr: 'sum(istio_requests_total)'}
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 5m}
expect:
  - '${condition.replace(/'/g, "''")}'
`);
}

/** `line:col` of the `nth` `needle` inside the first line of `file` that holds `condition`. */
function at(file: string, condition: string, needle: string, nth = 0): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(condition));
  let i = -1;
  for (let k = 0; k <= nth; k++) i = lines[line]!.indexOf(needle, i + 1);
  return `${line + 1}:${i + 1}`;
}

describe('a condition naming what the state cannot have is refused before the run (exit 2)', () => {
  it('the issue\'s typo: rollouts["x"].phas != "Healthy" passed as nil ≠ "Healthy"; now it says phase', async () => {
    const cond = `${R}.phas != "Healthy"`;
    const file = scenarioWith(cond);
    const r = await cli(['run', file]);
    expect(r.code).toBe(2);
    // One line, at the misspelt member, nothing played before it.
    expect(r.out).toBe(
      `canarysim: ${shown(file)}:${at(file, cond, 'phas')}: scenario: expect[0]: invalid condition: a rollout has no field "phas" (did you mean "phase"?)\n`,
    );
  });

  it.each([
    [
      `${R}.replicas.availble == 5`,
      'availble',
      `a rollout's replicas has no field "availble" (did you mean "available"?)`,
    ],
    [`${R}["phas"] == "Healthy"`, '"phas"', 'a rollout has no field "phas" (did you mean "phase"?)'],
    [`let r = ${R}; r.stp == "8/8"`, 'stp', 'a rollout has no field "stp" (did you mean "step"?)'],
    [
      `all(${R}.analysisRuns, .phse == "Successful")`,
      'phse',
      'an analysis run has no field "phse" (did you mean "phase"?)',
    ],
    [
      `${R}.analysisRuns[-1].metrics[0].lastVlue == "[1]"`,
      'lastVlue',
      'a metric has no field "lastVlue" (did you mean "lastValue"?)',
    ],
    [
      `traffic["users"].latency.p99 < 100`,
      'p99',
      'a latency summary has no field "p99" (did you mean "p99Ms"?)',
    ],
    [
      `${R}.abortedAtt == nil`,
      'abortedAtt',
      'a rollout has no field "abortedAtt" (did you mean "abortedAt"?)',
    ],
    // No close name: the message says what the record is, without a guess.
    [`${R}.weight == 20`, 'weight', 'a rollout has no field "weight"'],
    // Names the scenario never makes: the manifests it applies, its query, hey and traffic ids.
    [
      `rollouts["sily-demo"].phase == "Healthy"`,
      '"sily',
      'no Rollout "sily-demo" in this scenario (it applies: silly-demo) (did you mean "silly-demo"?)',
    ],
    [
      `queries["totl"] == nil`,
      '"totl',
      'no query "totl" in this scenario (its query ids: total) (did you mean "total"?)',
    ],
    [
      `hey["lod"].requests > 0`,
      '"lod',
      'no hey "lod" in this scenario (its hey ids: load) (did you mean "load"?)',
    ],
    [
      `traffic["user"].requests > 0`,
      '"user',
      'no traffic "user" in this scenario (its traffic ids: users) (did you mean "users"?)',
    ],
    [
      `virtualServices["silly-demo"].routes[0].destinations[1].weight == 0`,
      '"silly',
      'no VirtualService "silly-demo" in this scenario (it applies: silly-demo-1, silly-demo-2) (did you mean "silly-demo-1"?)',
    ],
    [
      `analysisRuns["success-rate"].phase == "Failed"`,
      '"success',
      'no AnalysisRun "success-rate" can exist in this scenario (its runs are named silly-demo-<hash>-<revision>); rollouts["silly-demo"].analysisRuns lists a Rollout\'s runs, oldest first ([-1] is the latest)',
    ],
    // A step analysis's name (`-2`) cannot come from a Rollout with only background analysis.
    [
      `analysisRuns["silly-demo-7f9c6d8b4-4-2"].phase == "Failed"`,
      '"silly',
      'no AnalysisRun "silly-demo-7f9c6d8b4-4-2" can exist in this scenario (its runs are named silly-demo-<hash>-<revision>); rollouts["silly-demo"].analysisRuns lists a Rollout\'s runs, oldest first ([-1] is the latest)',
    ],
  ])('%s', async (cond, needle, message) => {
    const file = scenarioWith(cond);
    const r = await cli(['run', file]);
    expect(r).toEqual({
      code: 2,
      out: `canarysim: ${shown(file)}:${at(file, cond, needle)}: scenario: expect[0]: invalid condition: ${message}\n`,
    });
  });

  it('a waitUntil is checked as strictly, and a type the field cannot have is refused too', async () => {
    const file = writeInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: {condition: '${R}.phase == "Healthy" && ${R}.stepIndx == nil', timeout: 5m}
`);
    expect(await cli(['run', file])).toEqual({
      code: 2,
      out: `canarysim: ${shown(file)}:${at(file, 'stepIndx', 'stepIndx')}: scenario: timeline[1].waitUntil.condition: invalid condition: a rollout has no field "stepIndx" (did you mean "stepIndex"?)\n`,
    });
    const typed = scenarioWith(`${R}.replicas.available == "5"`);
    const r = await cli(['run', typed]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('invalid condition: invalid operation: == (mismatched types float64 and string)');
  });

  it("an AnalysisTemplate condition keeps Argo's nil for a missing field (strictness is for scenarios only)", () => {
    expect(evaluateBoolCondition(parseCondition('result.phas == nil'), { result: { phase: 'x' } })).toBe(
      true,
    );
    expect(evaluateBoolCondition(parseCondition('result[0].valu == nil'), { result: [{ value: 1 }] })).toBe(
      true,
    );
  });
});

describe('dynamic access stays allowed: only what is certainly wrong is refused', () => {
  it('variables, predicates, get, ?., in, len and a run named by a run read from the state all run', async () => {
    const conditions = [
      `let n = "silly-demo"; rollouts[n].phase == "Paused"`,
      `all(${R}.analysisRuns, .phase == "Successful" || .phase == "Running")`,
      `filter(${R}.revisions, .role == "stable")[0].image endsWith ":1.4.126"`,
      `get(rollouts, "not-applied") == nil && get(${R}, "phas") == nil`,
      `${R}?.phase == "Paused" && "phase" in ${R}`,
      `len(queries) == 1 && len(hey) == 1 && queries["total"][0] > 0`,
      `analysisRuns[${R}.analysisRuns[0].name].rollout == "silly-demo"`,
      `len(${R}.analysisRuns) == 0 || analysisRuns["silly-demo-" + ${R}.revisions[0].hash + "-1"] == nil || true`,
      `map(${R}.history, .phase)[0] == "Progressing"`,
      `traffic["users"].statusCodes["200"] > 0 && traffic["users"].mix["anything"] == nil`,
    ];
    const file = writeInline(`${HEADER}
timeline:
  - apply: {file: cluster-analysis-template.yaml}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - hey: {id: load, args: '-z 10m "http://silly-demo.$ISTIO_HOST"'}
  - traffic: {id: users, url: "http://silly-demo.$ISTIO_HOST/", rate: 5/s, duration: 30s}
  - waitUntil: {condition: '${R}.phase == "Healthy"', timeout: 5m}
  - setImage: {kustomization: kustomize/overlays/istio-prometheus, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio-prometheus}
  - waitUntil: {condition: 'len(${R}.analysisRuns) > 0', timeout: 15m}
  - wait: 60s
  - query: {id: total, expr: 'sum(istio_requests_total{reporter="source"})'}
expect:
${conditions.map((c) => `  - '${c.replace(/'/g, "''")}'`).join('\n')}
`);
    const run = await runScenarioFile(file);
    expect(run.result.expectations.filter((e) => !e.passed)).toEqual([]);
    expect(run.result.expectations).toHaveLength(conditions.length);
  });
});

describe('helpers: when a rollout became Healthy or aborted, and what the canary failed before', () => {
  let blog: ScenarioRun;
  beforeAll(async () => {
    blog = await runScenarioFile(BLOG_SCENARIO);
  }, 60_000);

  it('abortedAt is the time of the RolloutAborted event of 1.4.129; healthyAt the promotion of 1.4.126', () => {
    const ro = blog.report.rollouts['silly-demo']!;
    const aborts = blog.report.events.filter(
      (e) => e.object === 'Rollout/silly-demo' && e.reason === 'RolloutAborted',
    );
    // The manual abort of 1.4.128 (then deleted with its Rollout) and the analysis's abort of 1.4.129.
    expect(aborts.map((e) => e.message)).toEqual([
      'Rollout aborted update to revision 3',
      'Rollout aborted update to revision 4: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
    ]);
    expect(ro.abortedAt).toBe(aborts[1]!.t);
    expect(ro.history.at(-1)).toEqual({ t: ro.abortedAt, phase: 'Degraded', message: ro.message });
    // 1.4.126 became Healthy before 1.4.129 was applied (the last RolloutUpdated, to revision 4).
    const updated = blog.report.events.filter(
      (e) => e.object === 'Rollout/silly-demo' && e.reason === 'RolloutUpdated',
    );
    expect(updated.at(-1)!.message).toBe('Rollout updated to revision 4');
    expect(ro.healthyAt).not.toBeNull();
    expect(ro.healthyAt!).toBeLessThanOrEqual(updated.at(-1)!.t);
    expect(ro.history.filter((h) => h.phase === 'Healthy').at(-1)!.t).toBe(ro.healthyAt);
    // The history is of this Rollout object: it starts when the istio overlay created it again.
    expect(ro.history[0]!.t).toBeGreaterThan(aborts[0]!.t);
  });

  it('canaryErrorsBeforeAbort equals istio_requests_total{reporter="source"} 5xx of the canary, scraped after the abort', () => {
    const ro = blog.report.rollouts['silly-demo']!;
    const w = blog.result.world;
    const start = w.options.startMs;
    const at = (expr: string, t: number) => {
      const r = w.engine.instantQuery(w.storage, expr, start + t * 1000);
      if (r.resultType !== 'vector') throw new Error(`expected a vector from ${expr}`);
      return r.result.map((s) => s.value);
    };
    const canary = 'reporter="source",destination_service_name="silly-demo-canary"';
    const errors = `sum(istio_requests_total{${canary},response_code=~"5.."})`;
    const afterAbort = ro.abortedAt! + w.options.scrapeIntervalMs / 1000;
    // The first scrape after the abort (the canary gets no user request after it: weight 0).
    const [scrapedAt] = at(`max(timestamp(istio_requests_total{${canary}}))`, afterAbort);
    expect(scrapedAt! * 1000).toBeGreaterThan(start + ro.abortedAt! * 1000);
    // Before 1.4.129 existed, the canary Service had answered no 5xx.
    expect(at(errors, ro.healthyAt!)).toEqual([]);
    expect(ro.canaryErrorsBeforeAbort).toBeGreaterThan(100_000);
    expect(at(errors, afterAbort)).toEqual([ro.canaryErrorsBeforeAbort]);
    expect(at(errors, blog.report.simulatedSeconds)).toEqual([ro.canaryErrorsBeforeAbort]);
    // Every request 1.4.129 answered with ?fail=true was a 500 (requests = errors), and hey saw them.
    expect(ro.canaryRequestsBeforeAbort).toBe(ro.canaryErrorsBeforeAbort);
    // Every request 1.4.129 answered with ?fail=true was a 500 (requests = errors), as hey saw them.
    expect(ro.canaryRequestsBeforeAbort).toBe(ro.canaryErrorsBeforeAbort);
    expect((blog.report.hey['load-fail'] as { statusCodes: Record<string, number> }).statusCodes['500']).toBe(
      ro.canaryErrorsBeforeAbort,
    );
  });

  it('repeated aborts: abortedAt is the latest, the history has each; a manual abort without users counts 0', async () => {
    const run = await runInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Healthy"'
  - setImage: {kustomization: kustomize/overlays/istio, image: 'ghcr.io/vfarcic/silly-demo:1.4.127'}
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Paused"'
  - abort: silly-demo
  - waitUntil: '${R}.phase == "Degraded"'
  - expect: '${R}.abortedAt == time && ${R}.canaryErrorsBeforeAbort == 0 && ${R}.canaryRequestsBeforeAbort == 0'
  - wait: 30s
  - retry: silly-demo
  - waitUntil: '${R}.phase == "Paused"'
  - wait: 30s
  - abort: silly-demo
  - waitUntil: '${R}.phase == "Degraded"'
expect:
  - '${R}.abortedAt == time - 0 && ${R}.healthyAt != nil && ${R}.healthyAt < ${R}.abortedAt'
  - 'len(filter(${R}.history, .phase == "Degraded")) == 2'
`);
    expect(run.result.expectations.filter((e) => !e.passed)).toEqual([]);
    const ro = run.report.rollouts['silly-demo']!;
    const degraded = ro.history.filter((h) => h.phase === 'Degraded').map((h) => h.t);
    expect(degraded).toHaveLength(2);
    expect(ro.abortedAt).toBe(degraded[1]);
    expect(degraded[1]! - degraded[0]!).toBeGreaterThanOrEqual(60);
  });

  it('the same scenario and seed give byte-identical helpers', async () => {
    const again = await runScenarioFile(BLOG_SCENARIO);
    expect(JSON.stringify(again.report.rollouts)).toBe(JSON.stringify(blog.report.rollouts));
  });
});

describe('the values a failed expectation saw', () => {
  it('lists the paths it read with their values, in the ✖ line and the JSON report', async () => {
    const file = writeInline(`${HEADER}
timeline:
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Healthy"'
  - query: {id: none, expr: 'vector(1) > 2'}
  - waitUntil: {condition: '${R}.step == "9/8"', timeout: 10s}
expect:
  - '${R}.phase == "Degraded" && len(${R}.history) > 100 && queries["none"][0] == 1 || time < 0'
  - '${R}.phase == "Healthy"'
  - '${R}.revisions != nil && ${R}.revisions[0].replicas == 0'
`);
    const json = path.join(path.dirname(file), 'report.json');
    const r = await cli(['run', '-q', file, '--json', json]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(json, 'utf8')) as {
      expectations: { passed: boolean; observed?: unknown }[];
      rollouts: Record<string, { history: unknown[] }>;
    };
    const n = report.rollouts['silly-demo']!.history.length;
    const [wait, first, second, third] = report.expectations;
    expect(wait!.observed).toEqual([{ path: `${R}.step`, value: '8/8' }]);
    expect(first!.observed).toEqual([
      { path: `${R}.phase`, value: 'Healthy' },
      { path: `len(${R}.history)`, value: n },
      { path: 'queries["none"][0]', value: null, error: 'index out of range: 0 (array length is 0)' },
      { path: 'time', value: expect.any(Number) as number },
    ]);
    // A passed expectation carries none; a value past the bound is cut and marked.
    expect(second).not.toHaveProperty('observed');
    const big = third!.observed as { path: string; value: string; truncated?: true }[];
    expect(big[0]!.path).toBe(`${R}.revisions`);
    expect(big[0]!.truncated).toBe(true);
    expect(Array.from(big[0]!.value)).toHaveLength(MAX_OBSERVED_CHARS + 1);
    expect(big[0]!.value.startsWith('[{"revision":1,')).toBe(true);
    expect(big[1]).toEqual({ path: `${R}.revisions[0].replicas`, value: 5 });
    // The ✖ line is followed by what it saw, on one line.
    expect(r.out).toContain(
      `✖ expect ${R}.phase == "Degraded" && len(${R}.history) > 100 && queries["none"][0] == 1 || time < 0  (${shown(file)}:15:5)\n    saw ${R}.phase = "Healthy"; len(${R}.history) = ${n}; queries["none"][0]: index out of range: 0 (array length is 0); time = `,
    );
  });

  it(`at most ${MAX_OBSERVED} paths`, async () => {
    const cond = Array.from({ length: 12 }, (_, i) => `${R}.revisions[0].replicas == ${100 + i}`).join(
      ' || ',
    );
    const distinct = Array.from({ length: 12 }, (_, i) => `hey["h${i}"].requests == -1`).join(' || ');
    const run = await runInline(`${HEADER}
timeline:
${Array.from({ length: 12 }, (_, i) => `  - hey: {id: h${i}, args: '-n 1 -c 1 "http://silly-demo.$ISTIO_HOST"'}`).join('\n')}
  - apply: {kustomize: kustomize/overlays/istio}
  - waitUntil: '${R}.phase == "Healthy"'
expect:
  - '${cond}'
  - '${distinct}'
`);
    const [same, many] = run.result.expectations;
    // One path read twelve times is reported once.
    expect(same!.observed).toEqual([{ path: `${R}.revisions[0].replicas`, value: 5 }]);
    expect(many!.observed!.map((o) => o.path)).toEqual(
      Array.from({ length: MAX_OBSERVED }, (_, i) => `hey["h${i}"].requests`),
    );
  });
});
