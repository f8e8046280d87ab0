import { renderGetRollout } from '../views/renderGetRollout.js';
import { analysisPanel } from './analysisPanel.js';
import { COLOR, painter } from './ansi.js';
import { keyLine } from './dashboardKeys.js';
import type { DashboardData } from './fetchDashboardData.js';
import { cellWidth, hangingWrap } from './text.js';
import { trafficPanel } from './trafficPanel.js';
import { weightsPanel } from './weightsPanel.js';

/** The last outcome the status line reports: a command's message, or a failure. */
export interface DashboardStatus {
  text: string;
  error: boolean;
}

/** Everything the dashboard shows, before it becomes strings. */
export interface DashboardState {
  namespace: string;
  name: string;
  /** The last successful refresh; null until the first one. */
  data: DashboardData | null;
  status: DashboardStatus | null;
}

/**
 * The screen as strings, one per panel, plus the geometry that depends on the content. Two
 * equal models paint identical screens, which is how the dashboard knows to skip a repaint.
 */
export interface DashboardModel {
  layout: {
    /** Outer width of the left (rollout) panel; the right column takes the rest. */
    rolloutWidth: number;
    /** Outer heights of the right column's panels, top to bottom; they fill the column. */
    weightsHeight: number;
    trafficHeight: number;
    analysisHeight: number;
  };
  rollout: string;
  weights: string;
  traffic: string;
  analysis: string;
  status: string;
  keys: string;
}

/** The right column never gets narrower than this while the screen allows (charts need room). */
export const RIGHT_MIN_WIDTH = 36;
/** Rows under the panels: status line and key line. */
const FOOTER_ROWS = 2;
/** Each panel has a one-cell border on every side. */
const BORDER = 2;
/** A blank column between the tree's INFO column and the border. */
const GUTTER = 1;
/** Where values start in the plugin's summary (Go's `%-17s`). */
const SUMMARY_LABEL_WIDTH = 17;

/**
 * Lays out the dashboard for a `size` screen. The rollout panel is as wide as the plugin's
 * block needs, except the Message line (200 characters of analysis verdict are common: it
 * wraps instead), capped so the right column keeps RIGHT_MIN_WIDTH, and never under half the
 * screen.
 */
export function dashboardModel(
  state: DashboardState,
  size: { width: number; height: number },
  opts: { color: boolean },
): DashboardModel {
  const paint = painter(opts.color);
  const panelsHeight = Math.max(size.height - FOOTER_ROWS, 0);
  const status =
    state.status === null ? '' : state.status.error ? paint(state.status.text, COLOR.red) : state.status.text;
  const keys = keyLine();
  const { data } = state;
  if (data === null) {
    const rollout = `loading ${state.namespace}/${state.name}…`;
    const third = Math.floor(panelsHeight / 3);
    return {
      layout: {
        rolloutWidth: Math.floor(size.width / 2),
        weightsHeight: third,
        trafficHeight: third,
        analysisHeight: panelsHeight - 2 * third,
      },
      rollout,
      weights: '',
      traffic: '',
      analysis: '',
      status,
      keys,
    };
  }
  const { detail } = data;
  // The block ends with a newline, which would be an empty last line in a box.
  const block = renderGetRollout(detail.view, detail.now, { color: opts.color }).replace(/\n$/, '');
  const blockWidth = Math.max(
    ...block
      .split('\n')
      .filter((l) => !l.startsWith('Message:'))
      .map(cellWidth),
  );
  const rolloutWidth = Math.min(
    blockWidth + GUTTER + BORDER,
    Math.max(size.width - RIGHT_MIN_WIDTH, Math.floor(size.width / 2)),
  );
  const rollout = fitBlock(block, rolloutWidth - BORDER);
  const inner = Math.max(size.width - rolloutWidth - BORDER, 1);
  const weights = weightsPanel(detail.weights, inner, paint);
  const weightsHeight = Math.min(weights.length + BORDER, panelsHeight);
  const traffic = trafficPanel(data.traffic, inner, paint);
  // Analysis keeps at least one line, so a failing run never disappears behind the charts.
  const trafficHeight = Math.max(
    Math.min(traffic.length + BORDER, panelsHeight - weightsHeight - BORDER - 1),
    0,
  );
  const analysisHeight = Math.max(panelsHeight - weightsHeight - trafficHeight, 0);
  const analysis = analysisPanel(detail.runs, detail.now, inner, analysisHeight - BORDER, paint);
  return {
    layout: { rolloutWidth, weightsHeight, trafficHeight, analysisHeight },
    rollout,
    weights: weights.join('\n'),
    traffic: traffic.join('\n'),
    analysis: analysis.join('\n'),
    status,
    keys,
  };
}

/**
 * The plugin block in a panel `width` cells wide: summary lines that do not fit wrap under
 * their value (Message can be a long analysis verdict); tree lines are left for the panel to
 * clip at the right, where INFO is, since a wrapped tree row would read as another node.
 */
function fitBlock(block: string, width: number): string {
  const split = block.indexOf('\n\n');
  if (split < 0) return block;
  const summary = block
    .slice(0, split)
    .split('\n')
    .flatMap((line) => hangingWrap(line, width, SUMMARY_LABEL_WIDTH));
  return [...summary, block.slice(split + 1)].join('\n');
}

/** Whether two models would paint the same screen. */
export function sameModel(a: DashboardModel | undefined, b: DashboardModel): boolean {
  if (a === undefined) return false;
  return (
    a.layout.rolloutWidth === b.layout.rolloutWidth &&
    a.layout.weightsHeight === b.layout.weightsHeight &&
    a.layout.trafficHeight === b.layout.trafficHeight &&
    a.layout.analysisHeight === b.layout.analysisHeight &&
    a.rollout === b.rollout &&
    a.weights === b.weights &&
    a.traffic === b.traffic &&
    a.analysis === b.analysis &&
    a.status === b.status &&
    a.keys === b.keys
  );
}
