// The schema strict expectations check conditions against (cli/scenario/stateSchema.ts) and the
// state a run really builds must agree field for field, both ways: a field added to the state and
// not to the schema (or the other way round) fails here.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimState } from '../../cli/scenario/state.js';
import { STATE_SCHEMA, type Shape } from '../../cli/scenario/stateSchema.js';
import { BLOG_SCENARIO, REPO_ROOT, runScenarioFile } from '../helpers/runScenarioFile.js';

/**
 * Walks a value against a shape: every record instance must have exactly the declared fields, every
 * value the declared type. Records met (non-null) are noted by their path, so a record the schema
 * declares but no state ever holds is reported too.
 */
function disagreements(shape: Shape, value: unknown, at: string, seen: Set<string>, out: string[]): void {
  const nullable = 'nullable' in shape && shape.nullable === true;
  if (value === null && nullable) return;
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  switch (shape.type) {
    case 'any':
      return;
    case 'number':
    case 'string':
    case 'boolean':
      if (got !== shape.type) out.push(`${at}: ${got} where the schema says ${shape.type}`);
      return;
    case 'array':
      if (got !== 'array') out.push(`${at}: ${got} where the schema says array`);
      else (value as unknown[]).forEach((v) => disagreements(shape.of, v, `${at}[]`, seen, out));
      return;
    case 'map':
    case 'record': {
      if (got !== 'object') {
        out.push(`${at}: ${got} where the schema says ${shape.type}`);
        return;
      }
      const obj = value as Record<string, unknown>;
      if (shape.type === 'map') {
        for (const v of Object.values(obj)) disagreements(shape.of, v, `${at}[*]`, seen, out);
        return;
      }
      seen.add(at);
      for (const k of Object.keys(obj))
        if (!(k in shape.fields)) out.push(`${at}.${k}: in the state, not in the schema`);
      for (const [k, f] of Object.entries(shape.fields)) {
        if (!(k in obj)) out.push(`${at}.${k}: in the schema, not in the state`);
        else disagreements(f, obj[k], `${at}.${k}`, seen, out);
      }
    }
  }
}

/** Paths of every record the schema declares. */
function recordPaths(shape: Shape, at: string, out: string[]): string[] {
  if (shape.type === 'record') {
    out.push(at);
    for (const [k, f] of Object.entries(shape.fields)) recordPaths(f, `${at}.${k}`, out);
  } else if (shape.type === 'array') recordPaths(shape.of, `${at}[]`, out);
  else if (shape.type === 'map') recordPaths(shape.of, `${at}[*]`, out);
  return out;
}

describe('the state schema', () => {
  it('and the states of the blog, my-service (traffic, a mix) and subset-split (a dry run) agree both ways', async () => {
    const states: SimState[] = [];
    for (const file of [
      BLOG_SCENARIO,
      path.join(REPO_ROOT, 'scenarios/drills/my-service/scenario.yaml'),
      path.join(REPO_ROOT, 'scenarios/drills/subset-split/scenario.yaml'),
    ])
      states.push((await runScenarioFile(file)).result.state);
    const seen = new Set<string>();
    const problems: string[] = [];
    for (const s of states) disagreements(STATE_SCHEMA, s, 'state', seen, problems);
    expect([...new Set(problems)]).toEqual([]);
    // Every record the schema declares was held by one of these states, so each was compared.
    expect(recordPaths(STATE_SCHEMA, 'state', []).filter((p) => !seen.has(p))).toEqual([]);
  }, 60_000);

  it('the walk finds a field either side lacks, and a wrong type', () => {
    const shape: Shape = {
      type: 'record',
      what: 'x',
      fields: { a: { type: 'number' }, b: { type: 'string', nullable: true } },
    };
    const out: string[] = [];
    disagreements(shape, { a: '1', c: true }, 'x', new Set(), out);
    expect(out).toEqual([
      'x.c: in the state, not in the schema',
      'x.a: string where the schema says number',
      'x.b: in the schema, not in the state',
    ]);
  });
});
