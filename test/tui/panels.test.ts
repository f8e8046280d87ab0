import { describe, expect, it } from 'vitest';
import { analysisPanel, compactValue } from '../../cli/tui/analysisPanel.js';
import { painter } from '../../cli/tui/ansi.js';
import { phaseLabel } from '../../cli/tui/phaseIcon.js';
import { cellWidth, fit, hangingWrap, stripAnsi, wrapText } from '../../cli/tui/text.js';
import type { TrafficData } from '../../cli/tui/trafficData.js';
import { trafficPanel } from '../../cli/tui/trafficPanel.js';
import { weightsPanel } from '../../cli/tui/weightsPanel.js';
import { fakeDetail, T0 } from './fakeControlClient.js';

const plain = painter(false);
const colored = painter(true);
const lines = (s: string): string[] => s.replace(/^\n/, '').replace(/\n$/, '').split('\n');

describe('weightsPanel', () => {
  const route = (destinations: { host: string; weight: number }[], r: string | null = 'primary') => ({
    virtualService: 'silly-demo',
    route: r,
    destinations,
  });

  it('follows its worked example: a bar per destination, scaled to 100', () => {
    const weights = [
      route([
        { host: 'silly-demo-stable', weight: 80 },
        { host: 'silly-demo-canary', weight: 20 },
      ]),
    ];
    expect(weightsPanel(weights, 30, plain)).toEqual(
      lines(`
silly-demo / primary
silly-demo-stable ██████░░  80
silly-demo-canary ██░░░░░░  20
`),
    );
  });

  it('heads unnamed routes with the VirtualService alone and lists every route', () => {
    const weights = [route([{ host: 'a', weight: 100 }], null), route([{ host: 'b', weight: 0 }], 'second')];
    expect(weightsPanel(weights, 12, plain)).toEqual([
      'silly-demo',
      'a ██████ 100',
      'silly-demo …',
      'b ░░░░░░   0',
    ]);
  });

  it('says so when no route points anywhere', () => {
    expect(weightsPanel([], 40, plain)).toEqual(['no VirtualService routes']);
    expect(weightsPanel([route([])], 40, plain)).toEqual(['no VirtualService routes']);
  });

  it('truncates long hosts so every line stays within the width', () => {
    const host = 'silly-demo-canary.a-team.svc.cluster.local';
    const out = weightsPanel([route([{ host, weight: 50 }])], 30, plain);
    expect(out[1]).toBe('silly-demo-canary.a… ███░░  50');
    for (const l of out) expect(cellWidth(l)).toBeLessThanOrEqual(30);
  });

  it('colours the filled bar by role: canary yellow, stable green', () => {
    const out = weightsPanel(
      [
        route([
          { host: 'x-stable', weight: 50 },
          { host: 'x-canary', weight: 50 },
        ]),
      ],
      20,
      colored,
    );
    expect(out[1]).toBe('x-stable \u001b[32m████\u001b[0m░░░  50');
    expect(out[2]).toBe('x-canary \u001b[33m████\u001b[0m░░░  50');
  });
});

describe('trafficPanel', () => {
  const grid = { startMs: T0 - 300_000, endMs: T0, stepMs: 10_000, points: 31 };
  const fill = (n: number, v: number | null): (number | null)[] => new Array<number | null>(n).fill(v);
  const traffic: TrafficData = {
    grid,
    requestRate: [
      { destination: 'silly-demo-canary', values: [...fill(19, null), ...fill(12, 2)] },
      { destination: 'silly-demo-stable', values: fill(31, 8) },
    ],
    successRate: [
      { destination: 'silly-demo-canary', values: [...fill(19, null), ...fill(12, 0.6)] },
      { destination: 'silly-demo-stable', values: fill(31, 1) },
    ],
  };

  it('follows its worked example: shared rate scale, success scaled to 100 %', () => {
    expect(trafficPanel(traffic, 24, plain)).toEqual(
      lines(`
req/s, last 5m
silly-demo-canary   2.00
            ▃▃▃▃▃▃▃▃▃▃▃▃
silly-demo-stable   8.00
████████████████████████

success, last 5m
silly-demo-canary  60.0%
            ▅▅▅▅▅▅▅▅▅▅▅▅
silly-demo-stable 100.0%
████████████████████████
`),
    );
  });

  it('shows a dash when the newest point has no sample (no traffic now)', () => {
    const idle: TrafficData = {
      grid,
      requestRate: [{ destination: 'web', values: [...fill(30, 3), 0] }],
      successRate: [{ destination: 'web', values: [...fill(30, 1), null] }],
    };
    const out = trafficPanel(idle, 12, plain);
    expect(out[1]).toBe('web     0.00');
    expect(out[5]).toBe('web        –');
  });

  it('formats rates by magnitude', () => {
    const at = (v: number) =>
      trafficPanel({ grid, requestRate: [{ destination: 'w', values: [v] }], successRate: [] }, 10, plain)[1];
    expect([at(0.123), at(12.34), at(1234.5)]).toEqual(['w     0.12', 'w     12.3', 'w     1235']);
  });

  it('reports no traffic and metric errors instead of empty charts', () => {
    expect(trafficPanel({ grid, requestRate: [], successRate: [] }, 40, plain)).toEqual([
      'no requests in the last 5m',
    ]);
    expect(trafficPanel({ error: 'connection refused' }, 40, plain)).toEqual([
      'metrics unavailable: connection refused',
    ]);
  });

  it('colours the charts by role', () => {
    const out = trafficPanel(traffic, 24, colored);
    expect(out[2]).toBe('\u001b[33m            ▃▃▃▃▃▃▃▃▃▃▃▃\u001b[0m');
    expect(out[4]).toBe(`\u001b[32m${'█'.repeat(24)}\u001b[0m`);
  });
});

describe('analysisPanel', () => {
  const now = T0 + 600_000;
  const runs = fakeDetail('canary', now).runs;

  it('follows its worked example: run, phase, metric counts, newest measurements first', () => {
    expect(analysisPanel(runs, now, 40, 20, plain)).toEqual(
      lines(`
α silly-demo-7d9b8c6f5-2-1
  ◌ Running  revision 2
  success-rate  ✔ 2,✖ 1
    ✖ Failed  [0.6]  10s ago
    ✔ Successful  [0.9744]  50s ago
    ✔ Successful  [1]  110s ago
`),
    );
  });

  it('lists newest runs first, wraps their message, and stops at the panel height', () => {
    const run = runs[0]!;
    const older = { ...run, name: 'old-run', phase: 'Successful', measurements: [], metrics: [] };
    const failed = {
      ...run,
      name: 'new-run',
      phase: 'Failed',
      message: 'Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)',
      measurements: [],
      metrics: [],
    };
    expect(analysisPanel([older, failed], now, 40, 20, plain)).toEqual(
      lines(`
α new-run
  ✖ Failed  revision 2
  Metric "success-rate" assessed Failed
  due to failed (1) > failureLimit (0)

α old-run
  ✔ Successful  revision 2
`),
    );
    expect(analysisPanel([older, failed], now, 40, 2, plain)).toEqual([
      'α new-run',
      '  ✖ Failed  revision 2',
    ]);
  });

  it('keeps at most three measurements per metric and shows metrics only seen in measurements', () => {
    const run = runs[0]!;
    const measurements = [1, 2, 3, 4].map((i) => ({
      metric: 'latency',
      phase: 'Successful',
      value: `[${i}]`,
      at: now - i * 1000,
    }));
    const out = analysisPanel([{ ...run, metrics: [], measurements }], now, 40, 20, plain);
    expect(out.slice(2)).toEqual([
      '  latency',
      '    ✔ Successful  [4]  4s ago',
      '    ✔ Successful  [3]  3s ago',
      '    ✔ Successful  [2]  2s ago',
    ]);
  });

  it('shortens the value, never the phase or the age, on a narrow panel', () => {
    const out = analysisPanel(runs, now, 34, 20, plain);
    expect(out[4]).toBe('    ✔ Successful  [0.974…  50s ago');
    for (const l of out) expect(cellWidth(l)).toBeLessThanOrEqual(34);
  });

  it('says so when there are no runs', () => {
    expect(analysisPanel([], now, 40, 10, plain)).toEqual(['no analysis runs']);
  });

  it('colours icons as the plugin does', () => {
    expect(analysisPanel(runs, now, 40, 20, colored)[3]).toBe(
      '    \u001b[31m✖\u001b[0m Failed  [0.6]  10s ago',
    );
  });
});

describe('helpers', () => {
  it('compactValue keeps four decimals of long floats only', () => {
    expect(compactValue('[0.9743589743589743]')).toBe('[0.9744]');
    expect(compactValue('[0.95,12.123456789]')).toBe('[0.95,12.1235]');
    expect(compactValue('[1]')).toBe('[1]');
    expect(compactValue('[0.999996]')).toBe('[1]');
  });

  it('phaseLabel shows a run before its first sync as Pending, and unknown phases as is', () => {
    expect(phaseLabel('', plain)).toBe('◷ Pending');
    expect(phaseLabel('Inconclusive', plain)).toBe('? Inconclusive');
    expect(phaseLabel('Weird', plain)).toBe('Weird');
  });

  it('fit, wrapText and cellWidth count cells, not UTF-16 units or escapes', () => {
    expect(fit('⟳ silly-demo', 5)).toBe('⟳ si…');
    expect(fit('abc', 3)).toBe('abc');
    expect(fit('abc', 0)).toBe('');
    expect(wrapText('aaa bb cccccccc d', 4)).toEqual(['aaa', 'bb', 'cccc', 'cccc', 'd']);
    expect(cellWidth('\u001b[32m✔\u001b[0m ok')).toBe(4);
    expect(stripAnsi('\u001b[94m◌\u001b[0m')).toBe('◌');
  });

  it('wrapText measures coloured words without their escapes and never splits them', () => {
    const red = '\u001b[31mabcdef\u001b[0m';
    expect(wrapText(`ab ${red} cd`, 6)).toEqual(['ab', red, 'cd']);
    expect(wrapText(red, 3)).toEqual([red]);
  });

  it('hangingWrap follows its worked example and leaves fitting or cramped lines alone', () => {
    expect(hangingWrap('Message:         CanaryPauseStep waiting', 34, 17)).toEqual([
      'Message:         CanaryPauseStep',
      '                 waiting',
    ]);
    expect(hangingWrap('Step:            1/8', 34, 17)).toEqual(['Step:            1/8']);
    expect(hangingWrap(`Message:         ${'x '.repeat(20)}`, 26, 17)).toHaveLength(1);
  });
});
