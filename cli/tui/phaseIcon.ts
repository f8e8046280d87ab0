import { COLOR, type Paint } from './ansi.js';

/**
 * Icons of analysis and measurement phases, as the plugin's tree shows them (spec §7.2;
 * renderGetRollout keeps its table private). "" is a run before its first sync.
 */
const PHASE_ICON: Record<string, { icon: string; color: number }> = {
  Successful: { icon: '✔', color: COLOR.green },
  Failed: { icon: '✖', color: COLOR.red },
  Error: { icon: '⚠', color: COLOR.red },
  Inconclusive: { icon: '?', color: COLOR.yellow },
  Running: { icon: '◌', color: COLOR.blue },
  Pending: { icon: '◷', color: COLOR.yellow },
  '': { icon: '◷', color: COLOR.yellow },
};

/** `✔ Successful`, coloured; an unknown phase is shown as is. */
export function phaseLabel(phase: string, paint: Paint): string {
  const known = PHASE_ICON[phase];
  if (known === undefined) return phase;
  return `${paint(known.icon, known.color)} ${phase === '' ? 'Pending' : phase}`;
}

/** The icon alone (for counts like `✔ 3`). */
export function phaseIcon(phase: string, paint: Paint): string {
  const known = PHASE_ICON[phase];
  return known === undefined ? '•' : paint(known.icon, known.color);
}
