import { InputError } from '../../sim/errors.js';
import { formatBytes } from '../io/NodeFileSystem.js';
import { MAX_BODY_BYTES } from '../server/httpServer.js';
import {
  CONTROL_PREFIX,
  type AnalysisRunRow,
  type ApplyRequest,
  type ClockChange,
  type VirtualServiceRow,
  type ControlClient,
  type FaultInfo,
  type FaultTarget,
  type PodInfo,
  type RolloutAction,
  type RolloutDetail,
  type ServerStatus,
} from './controlApi.js';

/** The control API over HTTP (what the CLI commands and the dashboard use against `canarysim serve`). */
export class HttpControlClient implements ControlClient {
  constructor(readonly server: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const json = body === undefined ? undefined : JSON.stringify(body);
    // The server would answer 413: say so before sending it.
    if (json !== undefined && Buffer.byteLength(json) > MAX_BODY_BYTES)
      throw new InputError(
        `${method} ${path}: the request is ${formatBytes(Buffer.byteLength(json))}, over the ${formatBytes(MAX_BODY_BYTES)} the control API takes`,
      );
    let res: Response;
    try {
      res = await fetch(`${this.server.replace(/\/+$/, '')}${path}`, {
        method,
        headers: json === undefined ? {} : { 'Content-Type': 'application/json' },
        body: json,
      });
    } catch {
      throw new InputError(
        `cannot reach canarysim serve at ${this.server}: is it running? (start it with: canarysim serve)`,
      );
    }
    const data = (await res.json().catch(() => ({}))) as T & { error?: string };
    if (!res.ok) throw new InputError(data.error ?? `${method} ${path}: HTTP ${res.status}`);
    return data;
  }

  status(): Promise<ServerStatus> {
    return this.call('GET', `${CONTROL_PREFIX}/status`);
  }

  async rollouts(): Promise<{ namespace: string; name: string }[]> {
    return (
      await this.call<{ rollouts: { namespace: string; name: string }[] }>(
        'GET',
        `${CONTROL_PREFIX}/rollouts`,
      )
    ).rollouts;
  }

  async pods(): Promise<PodInfo[]> {
    return (await this.call<{ pods: PodInfo[] }>('GET', `${CONTROL_PREFIX}/pods`)).pods;
  }

  rollout(namespace: string, name: string): Promise<RolloutDetail> {
    return this.call(
      'GET',
      `${CONTROL_PREFIX}/rollouts/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
    );
  }

  async apply(req: ApplyRequest): Promise<string[]> {
    return (await this.call<{ lines: string[] }>('POST', `${CONTROL_PREFIX}/apply`, req)).lines;
  }

  async delete(req: ApplyRequest): Promise<string[]> {
    return (await this.call<{ lines: string[] }>('POST', `${CONTROL_PREFIX}/delete`, req)).lines;
  }

  async command(
    namespace: string,
    name: string,
    action: RolloutAction,
    body: { full?: boolean; toRevision?: number; in?: string } = {},
  ): Promise<string> {
    const path = `${CONTROL_PREFIX}/rollouts/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/${action}`;
    return (await this.call<{ message: string }>('POST', path, body)).message;
  }

  async setImage(namespace: string, name: string, container: string, image: string): Promise<string> {
    const path = `${CONTROL_PREFIX}/rollouts/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/image`;
    return (await this.call<{ message: string }>('POST', path, { container, image })).message;
  }

  async setFault(fault: Record<string, unknown>): Promise<string> {
    return (await this.call<{ message: string }>('POST', `${CONTROL_PREFIX}/faults`, fault)).message;
  }

  async clearFaults(target: FaultTarget): Promise<string> {
    return (await this.call<{ message: string }>('POST', `${CONTROL_PREFIX}/faults/clear`, target)).message;
  }

  async faults(): Promise<FaultInfo[]> {
    return (await this.call<{ faults: FaultInfo[] }>('GET', `${CONTROL_PREFIX}/faults`)).faults;
  }

  clock(change: ClockChange): Promise<ServerStatus> {
    return this.call('POST', `${CONTROL_PREFIX}/clock`, change);
  }

  async hold(namespace: string, name: string, step: number | null): Promise<string> {
    const path = `${CONTROL_PREFIX}/rollouts/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/hold`;
    return (await this.call<{ message: string }>('POST', path, { step })).message;
  }

  async reset(): Promise<string> {
    return (await this.call<{ message: string }>('POST', `${CONTROL_PREFIX}/reset`, {})).message;
  }

  async analysisRuns(namespace: string, name?: string): Promise<AnalysisRunRow[]> {
    const path = `${CONTROL_PREFIX}/analysisruns/${encodeURIComponent(namespace)}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
    return (await this.call<{ items: AnalysisRunRow[] }>('GET', path)).items;
  }

  async virtualServices(namespace: string, name?: string): Promise<VirtualServiceRow[]> {
    const path = `${CONTROL_PREFIX}/virtualservices/${encodeURIComponent(namespace)}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
    return (await this.call<{ items: VirtualServiceRow[] }>('GET', path)).items;
  }

  async queryRange(
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
  ): Promise<{ metric: Record<string, string>; values: [number, number][] }[]> {
    const params = new URLSearchParams({
      query,
      start: String(startMs / 1000),
      end: String(endMs / 1000),
      step: String(stepMs / 1000),
    });
    const res = await fetch(`${this.server.replace(/\/+$/, '')}/api/v1/query_range?${params}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { result: { metric: Record<string, string>; values: [number, string][] }[] };
    };
    if (body.status !== 'success') throw new InputError(body.error ?? 'query failed');
    return (body.data?.result ?? []).map((s) => ({
      metric: s.metric,
      values: s.values.map(([t, v]) => [t * 1000, Number(v)] as [number, number]),
    }));
  }
}
