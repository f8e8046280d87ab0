import type { AppAnswer, AppImage, AppProcessView } from '../types.js';

/** An answer of a built-in app (every field of it lives on AppAnswer). */
export type BuiltinAnswer = AppAnswer;

/** The placeholder status of a `noResponse` answer its app does not count (a proxy reports its own error). */
export const NO_RESPONSE_STATUS = 502;

/** An image of a built-in app (every field of it lives on AppImage). */
export type BuiltinImage = AppImage;

/** A process view with the simulated wall clock (AppProcessView's `nowMs`). */
export type ClockedProcessView = AppProcessView;
