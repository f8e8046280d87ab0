import type { AppProcessView, AppRequest, ContainerConfig } from '../../app/types.js';
import type { BuiltinAnswer } from '../../app/builtins/builtinTypes.js';

/** A container of `image` with the given overrides. */
export function container(image: string, over: Partial<ContainerConfig> = {}): ContainerConfig {
  return { image, env: {}, command: [], args: [], ports: [], ...over };
}

/** A freshly started process named pod-1. */
export function proc(
  over: Partial<AppProcessView & { nowMs: number }> = {},
): AppProcessView & { nowMs?: number } {
  return { env: {}, hostname: 'pod-1', state: {}, ...over };
}

/** A request; GET by default. */
export function req(path: string, over: Partial<AppRequest> = {}): AppRequest {
  return { method: 'GET', path, query: {}, headers: {}, ...over };
}

/** The probability of the answers matching `pred`. */
export function probability(answers: readonly BuiltinAnswer[], pred: (a: BuiltinAnswer) => boolean): number {
  const total = answers.reduce((s, a) => s + a.weight, 0);
  return answers.filter(pred).reduce((s, a) => s + a.weight, 0) / total;
}

/** The answer, when there is exactly one. */
export function only(answers: readonly BuiltinAnswer[]): BuiltinAnswer {
  if (answers.length !== 1) throw new Error(`expected one answer, got ${answers.length}`);
  return answers[0]!;
}
