import type { Readable, Writable } from 'node:stream';
import blessed from 'blessed';
import type { ControlClient } from '../live/controlApi.js';
import { DASHBOARD_KEYS, type KeyBinding } from './dashboardKeys.js';
import { dashboardModel, sameModel, type DashboardModel, type DashboardState } from './dashboardModel.js';
import { errorMessage } from './errorMessage.js';
import { fetchDashboardData } from './fetchDashboardData.js';
import { startPoller } from './poller.js';

export interface DashboardOptions {
  namespace: string;
  name: string;
  /** Wall-clock ms between refreshes (each starts after the previous one finished). Default 1000. */
  refreshMs?: number;
  /** Default process.stdin / process.stdout. */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/**
 * The live dashboard of one rollout: the plugin's `get rollout` block, the VirtualService
 * weights, request and success rate per version, the analysis runs, and keys that promote,
 * abort and retry through `client`. Resolves once the user quits (q or C-c), with the terminal
 * restored and polling stopped. Client failures never end it: they show in the status line.
 */
export function runDashboard(client: ControlClient, opts: DashboardOptions): Promise<void> {
  // Without this, blessed draws box lines (and the plugin's tree glyphs) with the VT100
  // alternate charset, which tmux captures and some terminals render as `lqqk`.
  process.env['NCURSES_NO_UTF8_ACS'] ??= '1';
  const { namespace, name } = opts;
  const color = process.env['NO_COLOR'] === undefined;
  const screen = blessed.screen({
    smartCSR: true,
    fullUnicode: true,
    warnings: false,
    title: `canarysim dashboard ${namespace}/${name}`,
    // @types/blessed 0.1.27 declares the screen's input as Writable and output as Readable.
    ...(opts.input === undefined ? {} : { input: opts.input as unknown as Writable }),
    ...(opts.output === undefined ? {} : { output: opts.output as unknown as Readable }),
  });

  const panel = (label: string, extra: blessed.Widgets.BoxOptions = {}): blessed.Widgets.BoxElement =>
    blessed.box({
      parent: screen,
      label: ` ${label} `,
      border: { type: 'line' },
      // Verdicts and PromQL contain `{...}`, which blessed would read as style tags; colour
      // arrives as ANSI escapes instead, which blessed understands.
      tags: false,
      // Lines are already wrapped or meant to be clipped (dashboardModel).
      wrap: false,
      ...extra,
    });
  const rolloutBox = panel(`${namespace}/${name}`, {
    top: 0,
    left: 0,
    scrollable: true,
    alwaysScroll: true,
    keys: true,
  });
  const weightsBox = panel('weights');
  const trafficBox = panel('traffic');
  const analysisBox = panel('analysis');
  const line = (bottom: number, extra: blessed.Widgets.BoxOptions = {}): blessed.Widgets.BoxElement =>
    blessed.box({
      parent: screen,
      bottom,
      left: 0,
      width: '100%',
      height: 1,
      tags: false,
      wrap: false,
      ...extra,
    });
  const statusLine = line(1);
  const keyLine = line(0, { style: { inverse: true } });
  rolloutBox.focus();

  const state: DashboardState = { namespace, name, data: null, status: null };
  let statusFromRefresh = false;
  let painted: DashboardModel | undefined;
  let busy = false;
  let stopped = false;

  const paint = (): void => {
    if (stopped) return;
    const width = Number(screen.width);
    const height = Number(screen.height);
    const model = dashboardModel(state, { width, height }, { color });
    if (sameModel(painted, model)) return;
    painted = model;
    const { rolloutWidth, weightsHeight, trafficHeight, analysisHeight } = model.layout;
    rolloutBox.width = rolloutWidth;
    rolloutBox.height = Math.max(height - 2, 0);
    const column = [
      [weightsBox, 0, weightsHeight, model.weights],
      [trafficBox, weightsHeight, trafficHeight, model.traffic],
      [analysisBox, weightsHeight + trafficHeight, analysisHeight, model.analysis],
    ] as const;
    for (const [box, top, boxHeight, content] of column) {
      box.left = rolloutWidth;
      box.width = Math.max(width - rolloutWidth, 0);
      box.top = top;
      box.height = boxHeight;
      box.setContent(content);
      // A zero-height blessed box still draws its border; hide what does not fit instead.
      if (boxHeight < 2) box.hide();
      else box.show();
    }
    rolloutBox.setContent(model.rollout);
    statusLine.setContent(model.status);
    keyLine.setContent(model.keys);
    screen.render();
  };

  const poller = startPoller(
    async () => {
      const data = await fetchDashboardData(client, namespace, name);
      if (stopped) return;
      state.data = data;
      if (statusFromRefresh) {
        state.status = null;
        statusFromRefresh = false;
      }
      paint();
    },
    opts.refreshMs ?? 1000,
    (err) => {
      if (stopped) return;
      state.status = { text: `refresh failed: ${errorMessage(err)}`, error: true };
      statusFromRefresh = true;
      paint();
    },
  );

  const runCommand = async (binding: KeyBinding): Promise<void> => {
    const { action } = binding;
    if (action.kind === 'quit') return;
    if (busy) return;
    busy = true;
    state.status = { text: `${binding.label}…`, error: false };
    statusFromRefresh = false;
    paint();
    try {
      const message =
        action.kind === 'trainer'
          ? await action.run(client, namespace, name)
          : await client.command(
              namespace,
              name,
              action.action,
              action.full === true ? { full: true } : undefined,
            );
      state.status = { text: `${binding.label}: ${message}`, error: false };
    } catch (err) {
      state.status = { text: `${binding.label} failed: ${errorMessage(err)}`, error: true };
    } finally {
      busy = false;
    }
    statusFromRefresh = false;
    // Show the command's effect now rather than at the next tick.
    poller.now();
    paint();
  };

  return new Promise<void>((resolve) => {
    const quit = (): void => {
      if (stopped) return;
      stopped = true;
      poller.stop();
      screen.destroy();
      resolve();
    };
    for (const binding of DASHBOARD_KEYS) {
      screen.key(binding.keys, () => {
        if (binding.action.kind === 'quit') quit();
        else void runCommand(binding);
      });
    }
    screen.on('resize', () => {
      painted = undefined;
      paint();
    });
    paint();
  });
}
