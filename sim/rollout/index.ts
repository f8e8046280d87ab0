export * from './types.js';
export * from './replicaMath.js';
export * from './steps.js';
export * from './phase.js';
export * from './interfaces.js';
export { RolloutController, type ControllerDeps } from './RolloutController.js';
export {
  rolloutMachine,
  startRolloutActor,
  type RolloutActor,
  type RolloutEvent,
  type RolloutCommands,
} from './machine.js';
export { rolloutCommands } from './commands.js';
export {
  MAX_PHASE_TRANSITIONS,
  RolloutHistory,
  type AbortRecord,
  type AnsweredCounts,
  type AnsweredProbe,
  type UpdateRecord,
  type PhaseTransition,
} from './RolloutHistory.js';
