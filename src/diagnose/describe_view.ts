// The object as describe_resource shows it: what kubectl describe prints, not every field the
// API server fills in. Bookkeeping (uid, resourceVersion, generation), the owner references
// (describe lists the owners itself), runtime ids (containerID, imageID), empty and null
// values, a node's image list, and pod-spec fields at their API defaults are left out;
// status, conditions and container states stay whole. Pure. get_resource still returns the
// whole object.

import type { KubeObject } from "../kube/types.ts";

type Json = Record<string, unknown>;

const METADATA_DROPPED = ["uid", "resourceVersion", "generation", "selfLink", "ownerReferences"];

/** Pod-spec fields at the values the API server defaults them to. */
const POD_SPEC_DEFAULTS: Json = {
  dnsPolicy: "ClusterFirst",
  schedulerName: "default-scheduler",
  restartPolicy: "Always",
  terminationGracePeriodSeconds: 30,
  enableServiceLinks: true,
  preemptionPolicy: "PreemptLowerPriority",
  priority: 0,
};

const CONTAINER_DEFAULTS: Json = {
  terminationMessagePath: "/dev/termination-log",
  terminationMessagePolicy: "File",
  imagePullPolicy: "IfNotPresent",
};

/** The two tolerations the DefaultTolerationSeconds admission plugin adds to every pod. */
function defaultToleration(t: unknown): boolean {
  const x = t as Json;
  return x?.operator === "Exists" && x.effect === "NoExecute" && x.tolerationSeconds === 300 &&
    (x.key === "node.kubernetes.io/not-ready" || x.key === "node.kubernetes.io/unreachable");
}

const isObject = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);

function withoutDefaults(obj: Json, defaults: Json): Json {
  return Object.fromEntries(Object.entries(obj).filter(([k, v]) => defaults[k] !== v));
}

function podSpec(spec: Json): Json {
  const out = withoutDefaults(spec, POD_SPEC_DEFAULTS);
  for (const key of ["containers", "initContainers"]) {
    if (Array.isArray(out[key])) {
      out[key] = (out[key] as unknown[]).map((c) =>
        isObject(c) ? withoutDefaults(c, CONTAINER_DEFAULTS) : c
      );
    }
  }
  if (Array.isArray(out.tolerations)) {
    out.tolerations = (out.tolerations as unknown[]).filter((t) => !defaultToleration(t));
  }
  if (out.serviceAccount === out.serviceAccountName) delete out.serviceAccount;
  if (out.serviceAccountName === "default") delete out.serviceAccountName;
  return out;
}

function containerStatus(s: unknown): unknown {
  if (!isObject(s)) return s;
  const { containerID: _, imageID: _image, ...rest } = s;
  for (const key of ["state", "lastState"]) {
    const st = rest[key];
    if (isObject(st) && isObject(st.terminated)) {
      const { containerID: _id, ...t } = st.terminated;
      rest[key] = { ...st, terminated: t };
    }
  }
  return rest;
}

function podStatus(status: Json): Json {
  const out = { ...status };
  for (const key of ["containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"]) {
    if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).map(containerStatus);
  }
  // hostIPs / podIPs repeat hostIP / podIP unless the pod is dual-stack.
  for (const [list, one] of [["hostIPs", "hostIP"], ["podIPs", "podIP"]] as const) {
    const ips = out[list];
    if (Array.isArray(ips) && ips.length === 1 && (ips[0] as Json)?.ip === out[one]) {
      delete out[list];
    }
  }
  return out;
}

/** Nulls, {} and [] carry nothing; dropped at every depth. */
function pruneEmpty(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(pruneEmpty);
  if (!isObject(v)) return v;
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) {
    const p = pruneEmpty(x);
    if (p === null || p === undefined) continue;
    if (Array.isArray(p) && p.length === 0) continue;
    if (isObject(p) && Object.keys(p).length === 0) continue;
    out[k] = p;
  }
  return out;
}

/** The pod template's spec of a workload (Deployment, ReplicaSet, Job, CronJob …), if any. */
function withTemplate(spec: Json, edit: (podSpec: Json) => Json): Json {
  const template = spec.template;
  if (isObject(template) && isObject(template.spec)) {
    return { ...spec, template: { ...template, spec: edit(template.spec) } };
  }
  const job = spec.jobTemplate;
  if (isObject(job) && isObject(job.spec)) {
    return { ...spec, jobTemplate: { ...job, spec: withTemplate(job.spec, edit) } };
  }
  return spec;
}

export function describeView(obj: KubeObject): KubeObject {
  const out: Json = { ...obj };
  if (isObject(obj.metadata)) {
    out.metadata = Object.fromEntries(
      Object.entries(obj.metadata).filter(([k]) => !METADATA_DROPPED.includes(k)),
    );
  }
  const pod = obj.kind === "Pod";
  if (isObject(out.spec)) out.spec = pod ? podSpec(out.spec) : withTemplate(out.spec, podSpec);
  if (pod && isObject(out.status)) out.status = podStatus(out.status);
  // A node lists every image it holds (often tens of KB); kubectl describe node shows none.
  if (obj.kind === "Node" && isObject(out.status)) {
    const { images: _, ...status } = out.status;
    out.status = status;
  }
  return pruneEmpty(out) as KubeObject;
}
