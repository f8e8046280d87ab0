import type { Mesh } from './Mesh.js';
import type { VirtualService } from './objects.js';

export interface IstioRouterConfig {
  namespace: string;
  canaryService: string;
  stableService: string;
  virtualServices: { name: string; routes: string[] }[];
}

/**
 * Argo Rollouts' Istio traffic router (host-level split): on each listed VirtualService route it
 * sets the canary destination to `w` and the stable one to 100 − w, and removes any other
 * destination (spec/argo-rollouts.md §8.1). Routes that are not listed are left alone. A
 * destination matches a service by its host up to the first dot.
 */
export class IstioRouter {
  constructor(
    private readonly mesh: Mesh,
    private readonly cfg: IstioRouterConfig,
  ) {}

  private find(ref: string): VirtualService | undefined {
    const [name, ns] = ref.includes('.')
      ? (ref.split('.', 2) as [string, string])
      : [ref, this.cfg.namespace];
    return this.mesh.virtualServices.get(`${ns}/${name}`);
  }

  /** Problems that stop routing: a missing VirtualService, route or destination (Argo's own messages). */
  validate(): string | undefined {
    for (const ref of this.cfg.virtualServices) {
      const vs = this.find(ref.name);
      if (!vs) return `VirtualService "${ref.name}" not found`;
      const routes = ref.routes.length > 0 ? ref.routes : undefined;
      if (!routes && vs.http.length !== 1) {
        return 'spec.http[] should be set in VirtualService and it must have exactly one route when omitting spec.strategy.canary.trafficRouting.istio.virtualService.routes';
      }
      for (const r of routes ?? [vs.http[0]!.name ?? '']) {
        const route = routes ? vs.http.find((h) => h.name === r) : vs.http[0];
        if (!route) return `HTTP Route '${r}' is not found in the defined Virtual Service.`;
        const hosts = route.route.map((d) => d.destination.host.split('.')[0]);
        if (!hosts.includes(this.cfg.canaryService))
          return `Canary Service '${this.cfg.canaryService}' not found in route`;
        if (!hosts.includes(this.cfg.stableService))
          return `Stable Service '${this.cfg.stableService}' not found in route`;
      }
    }
    return undefined;
  }

  setWeight(w: number): { changed: string[]; error?: string } {
    const error = this.validate();
    if (error) return { changed: [], error };
    const changed: string[] = [];
    for (const ref of this.cfg.virtualServices) {
      const vs = this.find(ref.name)!;
      let modified = false;
      const routes =
        ref.routes.length > 0
          ? vs.http.filter((h) => h.name !== undefined && ref.routes.includes(h.name))
          : [vs.http[0]!];
      for (const route of routes) {
        const keep = route.route.filter((d) => {
          const host = d.destination.host.split('.')[0];
          return host === this.cfg.canaryService || host === this.cfg.stableService;
        });
        if (keep.length !== route.route.length) modified = true;
        for (const d of keep) {
          const want = d.destination.host.split('.')[0] === this.cfg.canaryService ? w : 100 - w;
          if (d.weight !== want) {
            d.weight = want;
            modified = true;
          }
        }
        route.route = keep;
      }
      if (modified) {
        this.mesh.syncRawSpec(vs);
        changed.push(vs.meta.name);
      }
    }
    return { changed };
  }

  // Transitional (managed routes are being built): the controller does not call these yet.
  setHeaderRoute(): { changed: string[]; error?: string } {
    return { changed: [], error: 'setHeaderRoute: managed routes are not simulated yet' };
  }

  setMirrorRoute(): { changed: string[]; error?: string } {
    return { changed: [], error: 'setMirrorRoute: managed routes are not simulated yet' };
  }

  removeManagedRoutes(): { changed: string[]; error?: string } {
    return { changed: [] };
  }
}
