import { registerBuiltin } from '../catalogue.js';
import { PODINFO_REPOSITORIES, podinfo } from './podinfo.js';
import { ROLLOUTS_DEMO_REPOSITORY, rolloutsDemo } from './rolloutsDemo.js';

// The built-in demo apps beyond silly-demo register their repositories with the catalogue when
// this module is imported (app/index.ts imports it once).
registerBuiltin([ROLLOUTS_DEMO_REPOSITORY], rolloutsDemo);
registerBuiltin(PODINFO_REPOSITORIES, podinfo);

export { podinfo, PODINFO_REPOSITORIES } from './podinfo.js';
export { rolloutsDemo, ROLLOUTS_DEMO_REPOSITORY, ROLLOUTS_DEMO_TAGS } from './rolloutsDemo.js';
export { ROLLOUTS_DEMO_COLORS } from './rolloutsDemoColor.js';
export { PODINFO_RELEASES, PODINFO_LATEST } from './podinfoReleases.js';
export { PODINFO_STATE } from './podinfoHandlers.js';
export { urlToLabel } from './podinfoRouter.js';
export {
  NO_RESPONSE_STATUS,
  type BuiltinAnswer,
  type BuiltinImage,
  type ClockedProcessView,
} from './builtinTypes.js';
