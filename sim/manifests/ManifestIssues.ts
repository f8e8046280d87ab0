import { InputError, type SourcePos } from '../errors.js';

/**
 * What a problem in a manifest means. `invalid`: a cluster (the API server, or Argo Rollouts'
 * own validation) would reject it. `not-simulated`: a cluster accepts it, but it changes behaviour
 * canarysim does not model, so a rehearsal refuses it rather than silently play without it.
 */
export type IssueKind = 'invalid' | 'not-simulated';

/** An InputError about a manifest that says which kind of problem it is. */
export class ManifestError extends InputError {
  constructor(
    message: string,
    pos: SourcePos | undefined,
    readonly kind: IssueKind,
  ) {
    super(message, pos);
  }
}

/**
 * Where `canarysim lint` collects manifest problems instead of stopping at the first: parsers
 * report into it and carry on with what they could read. Without a sink (run, serve, scenario
 * validation) the first problem is thrown, as before.
 */
export class IssueSink {
  readonly issues: ManifestError[] = [];

  add(e: InputError): void {
    this.issues.push(e instanceof ManifestError ? e : new ManifestError(e.message, e.pos, 'invalid'));
  }
}
