// Which pod and port a Service port forwards to, decided as kubectl port-forward svc/NAME does
// (kubectl pkg/polymorphichelpers and pkg/util/podutils, v0.34): the Service's selector lists
// the pods, the "most active" one wins, it must be Running, and the Service port maps to its
// targetPort, by number or by container-port name. Pure functions over the objects.

import type { KubeObject } from "../kube/types.ts";

type Obj = Record<string, unknown>;

export class TargetError extends Error {
  override name = "TargetError";
}

const o = (v: unknown): Obj => (typeof v === "object" && v !== null ? v as Obj : {});
const arr = (v: unknown): Obj[] => (Array.isArray(v) ? v.map(o) : []);

/** The Service's selector as a label selector string; an empty selector is an error. */
export function serviceSelector(service: KubeObject): string {
  const selector = o(o(service.spec).selector);
  const pairs = Object.entries(selector).map(([k, v]) => `${k}=${String(v)}`);
  if (pairs.length === 0) {
    const name = String(o(service.metadata).name ?? "");
    throw new TargetError(
      `Service ${name} is defined without a selector, so it has no pods to forward to; ` +
        `forward to a pod instead (pod)`,
    );
  }
  return pairs.sort().join(",");
}

const PHASE_RANK: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function readySince(pod: KubeObject): number | undefined {
  const ready = arr(o(pod.status).conditions).find((c) => c.type === "Ready");
  if (ready?.status !== "True") return undefined;
  const t = Date.parse(String(ready.lastTransitionTime ?? ""));
  return Number.isNaN(t) ? 0 : t;
}

function restarts(pod: KubeObject): number {
  return arr(o(pod.status).containerStatuses).reduce(
    (n, c) => Math.max(n, Number(c.restartCount ?? 0)),
    0,
  );
}

/**
 * Negative when `a` is more active than `b` (kubectl's ActivePods, reversed): on a node; Running
 * over Unknown over Pending; not being deleted; Ready; Ready for longer; fewer restarts; older.
 */
export function compareActivity(a: KubeObject, b: KubeObject): number {
  const node = (p: KubeObject) => (o(p.spec).nodeName ? 1 : 0);
  if (node(a) !== node(b)) return node(b) - node(a);
  const phase = (p: KubeObject) => PHASE_RANK[String(o(p.status).phase)] ?? 0;
  if (phase(a) !== phase(b)) return phase(b) - phase(a);
  const deleting = (p: KubeObject) => (o(p.metadata).deletionTimestamp ? 1 : 0);
  if (deleting(a) !== deleting(b)) return deleting(a) - deleting(b);
  const ra = readySince(a), rb = readySince(b);
  if ((ra === undefined) !== (rb === undefined)) return ra === undefined ? 1 : -1;
  if (ra !== undefined && rb !== undefined && ra !== rb) return ra - rb;
  if (restarts(a) !== restarts(b)) return restarts(a) - restarts(b);
  const created = (p: KubeObject) => Date.parse(String(o(p.metadata).creationTimestamp ?? ""));
  const ca = created(a), cb = created(b);
  if (!Number.isNaN(ca) && !Number.isNaN(cb) && ca !== cb) return ca - cb;
  return 0;
}

/** The pod kubectl would pick among the Service's pods; it must be Running. */
export function pickPod(serviceName: string, pods: readonly KubeObject[]): KubeObject {
  const best = [...pods].sort(compareActivity)[0];
  if (!best) {
    throw new TargetError(
      `Service ${serviceName} selects no pods, so there is nothing to forward to; ` +
        `check its selector (get_resource) and that its pods exist`,
    );
  }
  const phase = String(o(best.status).phase ?? "Unknown");
  if (phase !== "Running") {
    throw new TargetError(
      `unable to forward port because pod is not running. Current status=${phase} ` +
        `(pod ${String(o(best.metadata).name)}, the most ready of Service ${serviceName}'s pods)`,
    );
  }
  return best;
}

/**
 * The pod port that Service port `port` sends to (kubectl translateServicePortToTargetPort):
 * headless Services keep the port; a numbered targetPort is used as it is (absent or 0: the
 * port itself); a named one is looked up among the pod's containers, then its init containers.
 */
export function targetPort(service: KubeObject, pod: KubeObject, port: number): number {
  const name = String(o(service.metadata).name ?? "");
  const spec = o(service.spec);
  const sp = arr(spec.ports).find((p) => Number(p.port) === port);
  if (!sp) {
    const have = arr(spec.ports).map((p) => `${p.port}${p.name ? ` (${p.name})` : ""}`);
    throw new TargetError(
      `Service ${name} does not have a service port ${port}; its ports are ` +
        `${have.join(", ") || "none"}`,
    );
  }
  if ((sp.protocol ?? "TCP") !== "TCP") {
    throw new TargetError(`Service ${name} port ${port} is ${sp.protocol}: only TCP is forwarded`);
  }
  if (spec.clusterIP === "None") return port;
  const target = sp.targetPort;
  if (typeof target === "number") return target === 0 ? port : target;
  if (target === undefined || target === null || target === "") return port;
  if (/^\d+$/.test(String(target))) return Number(target);
  const podSpec = o(pod.spec);
  for (const c of [...arr(podSpec.containers), ...arr(podSpec.initContainers)]) {
    const cp = arr(c.ports).find((p) => p.name === target);
    if (cp) return Number(cp.containerPort);
  }
  throw new TargetError(
    `Pod ${String(o(pod.metadata).name)} does not have a named port '${String(target)}' ` +
      `(Service ${name} port ${port} targets it)`,
  );
}
