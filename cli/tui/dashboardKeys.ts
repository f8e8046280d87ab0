/** What a key does on the dashboard. */
export type DashboardAction =
  { kind: 'command'; action: 'promote' | 'abort' | 'retry'; full?: boolean } | { kind: 'quit' };

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
  { keys: ['q', 'C-c'], label: 'quit', action: { kind: 'quit' } },
];

/** `p promote  f promote --full  a abort  r retry  q/C-c quit` */
export function keyLine(bindings: readonly KeyBinding[] = DASHBOARD_KEYS): string {
  return bindings.map((b) => `${b.keys.join('/')} ${b.label}`).join('   ');
}
