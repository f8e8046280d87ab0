import type { ControlClient } from '../live/controlApi.js';

/** A trainer control: asks the server what it needs, acts, and resolves to the line to show. */
export type TrainerRun = (client: ControlClient, namespace: string, name: string) => Promise<string>;

/** What a key does on the dashboard. */
export type DashboardAction =
  | { kind: 'command'; action: 'promote' | 'abort' | 'retry'; full?: boolean }
  | { kind: 'trainer'; run: TrainerRun }
  | { kind: 'quit' };

const clockLine = (s: { speed: number; paused?: boolean }) =>
  s.paused ? `clock paused at ${s.speed}×` : `clock at ${s.speed}×`;

/** Doubles or halves the speed, within (0, 10000]. */
const scaleSpeed =
  (factor: number): TrainerRun =>
  async (client) => {
    const { speed } = await client.status();
    return clockLine(await client.clock({ speed: Math.min(10_000, Math.max(0.0625, speed * factor)) }));
  };

/** Holds the rollout at the step after the one it is at. */
const holdNext: TrainerRun = async (client, namespace, name) => {
  const d = await client.rollout(namespace, name);
  return client.hold(namespace, name, (d.state.stepIndex ?? 0) + 1);
};

export interface KeyBinding {
  /** blessed key names. */
  keys: string[];
  label: string;
  action: DashboardAction;
}

/** The dashboard's keys, in key-line order; the plugin's verbs, so trainers say what they type. */
export const DASHBOARD_KEYS: readonly KeyBinding[] = [
  { keys: ['p'], label: 'promote', action: { kind: 'command', action: 'promote' } },
  { keys: ['f'], label: 'promote --full', action: { kind: 'command', action: 'promote', full: true } },
  { keys: ['a'], label: 'abort', action: { kind: 'command', action: 'abort' } },
  { keys: ['r'], label: 'retry', action: { kind: 'command', action: 'retry' } },
  {
    keys: ['space'],
    label: 'pause',
    action: {
      kind: 'trainer',
      run: async (client) => clockLine(await client.clock({ paused: !(await client.status()).paused })),
    },
  },
  { keys: ['+'], label: 'faster', action: { kind: 'trainer', run: scaleSpeed(2) } },
  { keys: ['-'], label: 'slower', action: { kind: 'trainer', run: scaleSpeed(0.5) } },
  { keys: ['h'], label: 'hold', action: { kind: 'trainer', run: holdNext } },
  { keys: ['q', 'C-c'], label: 'quit', action: { kind: 'quit' } },
];

/** `p promote  f promote --full  a abort  r retry  q/C-c quit` */
export function keyLine(bindings: readonly KeyBinding[] = DASHBOARD_KEYS): string {
  return bindings.map((b) => `${b.keys.join('/')} ${b.label}`).join('   ');
}
