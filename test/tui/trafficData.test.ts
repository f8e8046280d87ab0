import { describe, expect, it } from 'vitest';
import { trafficData } from '../../cli/tui/trafficData.js';
import { trafficGrid, trafficQueries } from '../../cli/tui/trafficQueries.js';

const T = Date.UTC(2024, 10, 11, 12, 0, 0);

describe('trafficGrid', () => {
  it('ends on the last whole step and spans the window inclusively', () => {
    expect(trafficGrid(T + 7_500)).toEqual({ startMs: T - 300_000, endMs: T, stepMs: 10_000, points: 31 });
  });

  it('gives consecutive refreshes within one step the same grid', () => {
    expect(trafficGrid(T + 1)).toEqual(trafficGrid(T + 9_999));
  });
});

describe('trafficQueries', () => {
  it('asks for source-reported rates per destination service, all and non-5xx', () => {
    expect(trafficQueries('a-team')).toEqual({
      requests:
        'sum by (destination_service_name) (rate(istio_requests_total{reporter="source",destination_service_namespace="a-team"}[1m]))',
      ok: 'sum by (destination_service_name) (rate(istio_requests_total{reporter="source",destination_service_namespace="a-team",response_code!~"5.*"}[1m]))',
    });
  });

  it('escapes the namespace as a PromQL string', () => {
    expect(trafficQueries('a"b\\c').requests).toContain('destination_service_namespace="a\\"b\\\\c"');
  });
});

describe('trafficData', () => {
  const grid = { startMs: T, endMs: T + 30_000, stepMs: 10_000, points: 4 };
  const series = (name: string, values: [number, number][]) => ({
    metric: { destination_service_name: name },
    values,
  });

  it('aligns samples on the grid, leaving null where there is none', () => {
    const data = trafficData(
      grid,
      [
        series('web-stable', [
          [T, 1],
          [T + 20_000, 3],
        ]),
      ],
      [],
    );
    expect(data.requestRate).toEqual([{ destination: 'web-stable', values: [1, null, 3, null] }]);
  });

  it('accepts Prometheus-style Unix seconds as well as milliseconds', () => {
    const data = trafficData(grid, [series('web', [[T / 1000 + 10, 2]])], []);
    expect(data.requestRate[0]?.values).toEqual([null, 2, null, null]);
  });

  it('ignores samples outside the grid and non-finite values', () => {
    const data = trafficData(
      grid,
      [
        series('web', [
          [T - 10_000, 9],
          [T, Number.NaN],
          [T + 40_000, 9],
        ]),
      ],
      [],
    );
    expect(data.requestRate[0]?.values).toEqual([null, null, null, null]);
  });

  it('divides ok by total; all failing is 0 (the ok series is absent), no traffic is null', () => {
    const requests = [
      series('web-stable', [
        [T, 4],
        [T + 10_000, 0],
      ]),
      series('web-canary', [
        [T, 2],
        [T + 10_000, 2],
      ]),
    ];
    const ok = [series('web-stable', [[T, 3]])];
    const data = trafficData(grid, requests, ok);
    expect(data.successRate).toEqual([
      { destination: 'web-canary', values: [0, 0, null, null] },
      { destination: 'web-stable', values: [0.75, null, null, null] },
    ]);
  });

  it('sorts destinations by name so panels keep their order', () => {
    const data = trafficData(grid, [series('b', []), series('a', [])], []);
    expect(data.requestRate.map((s) => s.destination)).toEqual(['a', 'b']);
  });

  it('merges series that share a destination (e.g. two source workloads)', () => {
    const data = trafficData(grid, [series('web', [[T, 1]]), series('web', [[T + 10_000, 2]])], []);
    expect(data.requestRate).toEqual([{ destination: 'web', values: [1, 2, null, null] }]);
  });
});
