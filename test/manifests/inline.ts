import {
  collectManifest,
  IssueSink,
  parseManifest,
  parseYamlFile,
  type ManifestObject,
} from '../../sim/manifests/index.js';
import { InputError } from '../../sim/errors.js';

/** The objects of an inline file, read strictly (as run and serve read them). */
export function strict(yaml: string, file = 'm.yaml'): ManifestObject[] {
  return parseYamlFile(file, yaml).map((d) => parseManifest(d));
}

/** The first error a strict read throws, as `file:line:col: message`, or undefined. */
export function strictError(yaml: string, file = 'm.yaml'): string | undefined {
  try {
    strict(yaml, file);
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return e.format();
    throw e;
  }
}

/** Lint's reading: every problem as `file:line:col: [kind] message`, and what could be read. */
export function collect(yaml: string, file = 'm.yaml'): { objects: ManifestObject[]; problems: string[] } {
  const sink = new IssueSink();
  const objects = parseYamlFile(file, yaml, { lenient: true }).flatMap(
    (d) => collectManifest(d, d.doc.toJS(), sink) ?? [],
  );
  return { objects, problems: sink.issues.map((e) => `${e.format()} [${e.kind}]`) };
}

/** A Rollout document around `canary` (indented under `strategy.canary`, two spaces a level). */
export function canaryRollout(canary: string, spec = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: r
spec:
  replicas: 2
  selector:
    matchLabels: {app: r}
  template:
    metadata:
      labels: {app: r}
    spec:
      containers:
        - name: r
          image: argoproj/rollouts-demo:blue
${spec}  strategy:
    canary:
${canary
  .split('\n')
  .map((l) => (l === '' ? l : `      ${l}`))
  .join('\n')}
`;
}

/** 1-based `line:col` of the `nth` occurrence of `needle` in `text`, plus `shift`. */
export function at(text: string, needle: string, shift = 0, nth = 1): string {
  let i = -1;
  for (let k = 0; k < nth; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`${JSON.stringify(needle)} not in text`);
  }
  i += shift;
  const before = text.slice(0, i);
  return `${before.split('\n').length}:${i - before.lastIndexOf('\n')}`;
}
