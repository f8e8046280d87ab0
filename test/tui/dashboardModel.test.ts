import { describe, expect, it } from 'vitest';
import { DASHBOARD_KEYS, keyLine } from '../../cli/tui/dashboardKeys.js';
import { dashboardModel, sameModel, type DashboardState } from '../../cli/tui/dashboardModel.js';
import { fetchDashboardData } from '../../cli/tui/fetchDashboardData.js';
import { renderGetRollout } from '../../cli/views/renderGetRollout.js';
import { fakeControlClient, T0 } from './fakeControlClient.js';

const NOW = T0 + 10 * 60_000;
const SIZE = { width: 120, height: 40 };

async function state(stage: 'stable' | 'canary' | 'promoted' = 'canary'): Promise<DashboardState> {
  const client = fakeControlClient(() => NOW);
  client.stage = stage;
  const data = await fetchDashboardData(client, 'a-team', 'silly-demo');
  return { namespace: 'a-team', name: 'silly-demo', data, status: null };
}

describe('dashboardModel', () => {
  it('shows the plugin block exactly as renderGetRollout prints it', async () => {
    const s = await state();
    const m = dashboardModel(s, SIZE, { color: false });
    expect(m.rollout + '\n').toBe(renderGetRollout(s.data!.detail.view, NOW));
    expect(m.rollout).toContain('⟳ silly-demo');
    expect(m.rollout).toContain('# revision:2');
  });

  it('passes colour through to the plugin block', async () => {
    const s = await state();
    const m = dashboardModel(s, SIZE, { color: true });
    expect(m.rollout + '\n').toBe(renderGetRollout(s.data!.detail.view, NOW, { color: true }));
  });

  it('lays out a 120x40 screen: tree-wide rollout panel, right column filled top to bottom', async () => {
    const m = dashboardModel(await state(), SIZE, { color: false });
    // The widest tree line is 78 cells; plus a gutter and the two borders.
    expect(m.layout).toEqual({ rolloutWidth: 81, weightsHeight: 5, trafficHeight: 13, analysisHeight: 20 });
    expect(m.weights).toBe(
      [
        'silly-demo / primary',
        'silly-demo-stable ████████████░░░  80',
        'silly-demo-canary ███░░░░░░░░░░░░  20',
      ].join('\n'),
    );
    expect(m.traffic.split('\n')).toHaveLength(11);
    expect(m.analysis.split('\n')[0]).toBe('α silly-demo-7d9b8c6f5-2-1');
    expect(m.keys).toBe(
      'p promote   f promote --full   a abort   r retry   space pause   + faster   - slower   h hold   q/C-c quit',
    );
    expect(m.status).toBe('');
  });

  it.each([
    [120, 40],
    [200, 60],
    [80, 24],
    [60, 12],
  ])('fills a %ix%i screen exactly and keeps the right column readable', async (width, height) => {
    const m = dashboardModel(await state(), { width, height }, { color: false });
    const { weightsHeight, trafficHeight, analysisHeight, rolloutWidth } = m.layout;
    expect(weightsHeight + trafficHeight + analysisHeight).toBe(height - 2);
    expect(rolloutWidth).toBeLessThanOrEqual(Math.max(width - 36, Math.floor(width / 2)));
    expect(rolloutWidth).toBeGreaterThanOrEqual(Math.min(81, Math.floor(width / 2)));
    // Analysis keeps a line while the screen has room for one.
    if (height - 2 >= weightsHeight + 3) expect(analysisHeight).toBeGreaterThanOrEqual(3);
    const inner = width - rolloutWidth - 2;
    for (const panel of [m.weights, m.traffic]) {
      for (const line of panel.split('\n')) expect([...line].length).toBeLessThanOrEqual(inner);
    }
    expect(m.analysis.split('\n').length).toBeLessThanOrEqual(Math.max(analysisHeight - 2, 1));
  });

  it('wraps a long Message under its value instead of widening the panel', async () => {
    const s = await state();
    const base = dashboardModel(s, SIZE, { color: false }).layout.rolloutWidth;
    s.data!.detail.view.message =
      'RolloutAborted: Rollout aborted update to revision 2: Background analysis phase error/failed: Metric "success-rate" assessed Failed due to failed (1) > failureLimit (0)';
    const m = dashboardModel(s, SIZE, { color: false });
    expect(m.layout.rolloutWidth).toBe(base);
    const lines = m.rollout.split('\n');
    expect(lines.slice(3, 6)).toEqual([
      'Message:         RolloutAborted: Rollout aborted update to revision 2:',
      '                 Background analysis phase error/failed: Metric "success-rate"',
      '                 assessed Failed due to failed (1) > failureLimit (0)',
    ]);
    expect(lines[6]).toBe('Strategy:        Canary');
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(base - 2);
  });

  it('on a narrow screen wraps summary lines and leaves tree rows whole for the panel to clip', async () => {
    const s = await state();
    const m = dashboardModel(s, { width: 90, height: 30 }, { color: false });
    expect(m.layout.rolloutWidth).toBe(54);
    const lines = m.rollout.split('\n');
    expect(lines).toContain('Images:          ghcr.io/vfarcic/silly-demo:1.4.126');
    expect(lines).toContain('                 (stable)');
    const tree = renderGetRollout(s.data!.detail.view, NOW).split('\n\n')[1]!.replace(/\n$/, '');
    expect(m.rollout.endsWith(`\n\n${tree}`)).toBe(true);
  });

  it('says it is loading before the first refresh', () => {
    const m = dashboardModel({ namespace: 'a-team', name: 'silly-demo', data: null, status: null }, SIZE, {
      color: false,
    });
    expect(m.rollout).toBe('loading a-team/silly-demo…');
    expect(m.layout.weightsHeight + m.layout.trafficHeight + m.layout.analysisHeight).toBe(38);
  });

  it('paints errors red in the status line, messages plain', async () => {
    const s = await state();
    s.status = { text: 'promote failed: boom', error: true };
    expect(dashboardModel(s, SIZE, { color: true }).status).toBe('\u001b[31mpromote failed: boom\u001b[0m');
    expect(dashboardModel(s, SIZE, { color: false }).status).toBe('promote failed: boom');
    s.status = { text: "promote: rollout 'silly-demo' promoted", error: false };
    expect(dashboardModel(s, SIZE, { color: true }).status).toBe("promote: rollout 'silly-demo' promoted");
  });

  it('shows a metrics failure in the traffic panel and keeps the rest', async () => {
    const client = fakeControlClient(() => NOW);
    client.stage = 'canary';
    client.fail.queryRange = new Error('query timed out');
    const data = await fetchDashboardData(client, 'a-team', 'silly-demo');
    const m = dashboardModel({ namespace: 'a-team', name: 'silly-demo', data, status: null }, SIZE, {
      color: false,
    });
    expect(m.traffic).toBe('metrics unavailable: query timed out');
    expect(m.rollout).toContain('⟳ silly-demo');
  });
});

describe('sameModel', () => {
  it('is true for equal data and false when anything shown changes', async () => {
    const a = dashboardModel(await state(), SIZE, { color: false });
    expect(sameModel(a, dashboardModel(await state(), SIZE, { color: false }))).toBe(true);
    expect(sameModel(undefined, a)).toBe(false);
    expect(sameModel(a, dashboardModel(await state('promoted'), SIZE, { color: false }))).toBe(false);
    expect(sameModel(a, dashboardModel(await state(), { width: 121, height: 40 }, { color: false }))).toBe(
      false,
    );
    const s = await state();
    s.status = { text: 'abort…', error: false };
    expect(sameModel(a, dashboardModel(s, SIZE, { color: false }))).toBe(false);
  });
});

describe('dashboard keys', () => {
  it('binds the plugin verbs and quit', () => {
    expect(DASHBOARD_KEYS.filter((b) => b.action.kind !== 'trainer').map((b) => [b.keys, b.action])).toEqual([
      [['p'], { kind: 'command', action: 'promote' }],
      [['f'], { kind: 'command', action: 'promote', full: true }],
      [['a'], { kind: 'command', action: 'abort' }],
      [['r'], { kind: 'command', action: 'retry' }],
      [['q', 'C-c'], { kind: 'quit' }],
    ]);
    expect(keyLine()).toBe(
      'p promote   f promote --full   a abort   r retry   space pause   + faster   - slower   h hold   q/C-c quit',
    );
  });
});

describe('dashboard trainer keys', () => {
  const run = (key: string) => {
    const b = DASHBOARD_KEYS.find((k) => k.keys.includes(key))!;
    if (b.action.kind !== 'trainer') throw new Error(`${key} is no trainer key`);
    return b.action.run;
  };

  it('space pauses the clock, + doubles and - halves its speed, h holds at the next step', async () => {
    const client = fakeControlClient();
    client.stage = 'canary';
    expect(await run('space')(client, 'a-team', 'silly-demo')).toBe('clock at 1×');
    expect(await run('+')(client, 'a-team', 'silly-demo')).toBe('clock at 1×');
    await run('-')(client, 'a-team', 'silly-demo');
    expect(await run('h')(client, 'a-team', 'silly-demo')).toMatch(/^rollout 'silly-demo' held at step 2\//);
    expect(client.commands).toEqual([
      { action: 'clock', body: { paused: true } },
      { action: 'clock', body: { speed: 2 } },
      { action: 'clock', body: { speed: 0.5 } },
      { action: 'hold', body: { step: 2 } },
    ]);
  });
});
