import { describe, expect, it } from 'vitest';
import { MetricSet } from '../../sim/metrics/MetricSet.js';
import { writeInline } from '../helpers/inlineScenario.js';
import { cli } from '../lint/helpers.js';

describe("the matrix's situations as scenario actions", () => {
  it('MetricSet.reset: an exporter restarted in place — every series kept, every count back to 0', () => {
    const set = new MetricSet();
    const c = set.counter({ name: 'requests_total', help: 'h', labelNames: ['code'] });
    const h = set.histogram({ name: 'duration_ms', help: 'h', labelNames: ['code'], buckets: [10, 100] });
    c.inc('a', { code: '200' }, 7);
    h.observeBuckets('a', { code: '200' }, [1, 2, 3], 500);
    set.reset();
    expect(set.samples().map((s) => [s.name, s.le ?? '', s.value])).toEqual([
      ['requests_total', '', 0],
      ['duration_ms_bucket', '10', 0],
      ['duration_ms_bucket', '100', 0],
      ['duration_ms_bucket', '+Inf', 0],
      ['duration_ms_sum', '', 0],
      ['duration_ms_count', '', 0],
    ]);
  });

  it('prometheus: and restartGateway: are checked where they are written', async () => {
    const bad = writeInline('timeline:\n  - prometheus: down\n');
    const r = await cli(['run', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /inline\.yaml:2:17: scenario: timeline\[0\]\.prometheus: invalid prometheus state "down": expected unreachable, slow or up\n$/,
    );
    const gw = writeInline('timeline:\n  - restartGateway: my-gateway\n');
    const g = await cli(['run', gw]);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/invalid gateway "my-gateway": expected istio-ingress/);
  });
});
