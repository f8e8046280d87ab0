import {
  builtinOrGeneric,
  DEFAULT_HOPS,
  type AppImage,
  lookupImage,
  type ContainerConfig,
  type LatencyModel,
} from '../../app/index.js';
import { imageMatches } from './imagePattern.js';
import type { AppModel, CrashSpec, Fault } from './spec.js';
import type { ProcessHost } from './AppProcess.js';

/** How a container's image runs, as the catalogue and the scenario's models decide it. */
export interface ResolvedContainer {
  /** The app the image runs; undefined when the image does not exist (the pull fails). */
  app?: AppImage;
  /** The scenario's model for the image, if one matches. */
  model?: AppModel;
  /** Neither a model nor a built-in app: the generic service. */
  defaulted: boolean;
}

/**
 * The world's app catalogue: the scenario's app models (first match wins), the built-in apps,
 * the generic service for everything else, and the faults set at run time. Processes consult it
 * on every batch, so a fault applies to running pods at once; `version` changes with every fault.
 */
export class AppModels {
  version = 0;
  private readonly faults: Fault[] = [];
  private readonly defaulted = new Set<string>();
  private readonly noticed = new Set<string>();
  private readonly listeners: (() => void)[] = [];
  /** Hears what a rehearsal should say once (an image run as the generic service, a model a manifest defeats). */
  onNotice?: (text: string) => void;

  constructor(
    readonly models: readonly AppModel[] = [],
    /** Epoch ms of the scenario's start (a change's `at:` counts from it). */
    readonly scenarioStartMs = 0,
    /** Saturation measures each pod's request rate over windows this long. */
    readonly rateWindowMs = 1000,
    /** The latency of an app that states none (a fast Go handler): the mesh's app hop. */
    readonly defaultAppLatency: LatencyModel = DEFAULT_HOPS.app,
  ) {}

  /** The first model whose pattern matches the image. */
  modelFor(image: string): AppModel | undefined {
    return this.models.find((m) => imageMatches(m.match, image));
  }

  /** What a container runs: its built-in app or the generic service, with the scenario's model over it. */
  resolve(c: ContainerConfig): ResolvedContainer {
    const model = this.modelFor(c.image);
    if (model?.pullFails) return { model, defaulted: false };
    const found = lookupImage(c);
    if (found.kind === 'builtin') return { app: found.app, model, defaulted: false };
    // A model makes a tag the catalogue lacks exist (the user says it does).
    if (model) return { app: builtinOrGeneric(c), model, defaulted: false };
    if (found.kind === 'missing') return { defaulted: false };
    const app = builtinOrGeneric(c);
    if (!this.defaulted.has(c.image)) {
      this.defaulted.add(c.image);
      this.notice(`image ${JSON.stringify(c.image)} has no app model: it runs as ${app.description}`);
    }
    return { app, defaulted: true };
  }

  /** Says `text` once per run. */
  notice(text: string): void {
    if (this.noticed.has(text)) return;
    this.noticed.add(text);
    this.onNotice?.(text);
  }

  /** Images that ran as the generic service so far, in the order first seen. */
  defaultedImages(): string[] {
    return [...this.defaulted];
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }

  /**
   * Sets a fault; one with the same target (image pattern, pod) replaces it. Listeners (the
   * kubelet) hear of it, so readiness and crashes take effect at once.
   */
  setFault(f: Fault): void {
    const i = this.faults.findIndex((x) => sameTarget(x, f));
    if (i >= 0) this.faults[i] = f;
    else this.faults.push(f);
    this.changed();
  }

  /** Clears the faults with this target (all of them without one); returns how many. */
  clearFaults(target?: Pick<Fault, 'image' | 'pod' | 'namespace'>): number {
    let n = 0;
    for (let i = this.faults.length - 1; i >= 0; i--) {
      if (!target || sameTarget(this.faults[i]!, target)) {
        this.faults.splice(i, 1);
        n++;
      }
    }
    if (n > 0) this.changed();
    return n;
  }

  /** The faults in force, oldest first. */
  activeFaults(): readonly Fault[] {
    return this.faults;
  }

  /** Faults that target this pod running this image, oldest first. */
  faultsFor(pod: ProcessHost, image: string): Fault[] {
    return this.faults.filter((f) => targets(f, pod, image));
  }

  /** When a process exits by itself: the newest fault's crash on it, else its model's. */
  crashFor(pod: ProcessHost, image: string, model: AppModel | undefined): CrashSpec | undefined {
    let crash = model?.crash;
    for (const f of this.faults) if (f.crash && targets(f, pod, image)) crash = f.crash;
    return crash;
  }
}

/** Whether a fault targets this pod running this image. */
export function faultTargets(
  f: Pick<Fault, 'image' | 'pod' | 'namespace'>,
  pod: ProcessHost,
  image: string,
): boolean {
  return targets(f, pod, image);
}

function targets(f: Pick<Fault, 'image' | 'pod' | 'namespace'>, pod: ProcessHost, image: string): boolean {
  if (
    f.pod !== undefined &&
    (f.pod !== pod.name || (f.namespace !== undefined && f.namespace !== pod.namespace))
  )
    return false;
  if (f.pod === undefined && f.namespace !== undefined && f.namespace !== pod.namespace) return false;
  return f.image === undefined || imageMatches(f.image, image);
}

function sameTarget(
  a: Pick<Fault, 'image' | 'pod' | 'namespace'>,
  b: Pick<Fault, 'image' | 'pod' | 'namespace'>,
): boolean {
  return a.image?.text === b.image?.text && a.pod === b.pod && a.namespace === b.namespace;
}
