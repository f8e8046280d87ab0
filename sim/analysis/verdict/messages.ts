/** Run message while terminated by request (`spec.terminate`), unless a metric explains more. */
export const RUN_TERMINATED_MESSAGE = 'Run Terminated';

/** Appended to a condition error when the provider returned nil or an empty array. */
export const NO_DATA_MESSAGE = 'metric result is nil or empty: no data returned from the metric provider';
