// Seeds the running clusters through the real API (admin client certificate): RBAC, namespaces,
// nodes, workloads, pods with Running statuses, CRDs and custom resources, events, and the
// metrics.k8s.io APIService. Everything seeded is described in seed_data.ts.

import { encodeBase64 } from "./base64.ts";
import { Kube, pool } from "./kube_client.ts";
import { log } from "./log.ts";
import {
  API_DEPLOYMENT,
  BILLING_DEPLOYMENT,
  BULK_DEPLOYMENT,
  BULK_POD_COUNT,
  bulkPod,
  CACHE_STATEFULSET,
  CONFIGMAPS,
  CRDS,
  EVENTS,
  GADGETS,
  LAST_APPLIED_ANNOTATION,
  LOOKALIKE_SECRET,
  LOOKALIKE_SECRET_CRD,
  MIGRATE_JOB,
  NAMESPACES,
  NODES,
  NOMETRICS_NAMESPACES,
  NOMETRICS_PODS,
  NOT_READY_NODE,
  PODREADER_RULES,
  PODS,
  SECRET_NAMESPACE,
  secretBytes,
  SECRETS,
  SEED_SECRETS,
  type SeedContainer,
  type SeedPod,
  SERVICES,
  VIEWER_NAMESPACE,
  WEB_DEPLOYMENT,
  WIDGETS,
} from "./seed_data.ts";

const READ_VERBS = ["get", "list", "watch"];
const BULK_CONCURRENCY = 32;

// deno-lint-ignore no-explicit-any
type Obj = any;

const nsPath = (ns: string, resource: string, group = "") =>
  group === ""
    ? `/api/v1/namespaces/${ns}/${resource}`
    : `/apis/${group}/namespaces/${ns}/${resource}`;

function hex(n: number): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(n)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

async function rbac(kube: Kube): Promise<void> {
  await kube.create("/apis/rbac.authorization.k8s.io/v1/clusterroles", {
    metadata: { name: "mcp-reader" },
    rules: [{ apiGroups: ["*"], resources: ["*"], verbs: READ_VERBS }],
  });
  await kube.create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
    metadata: { name: "mcp-reader" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "mcp-reader" },
    subjects: [{ kind: "User", name: "mcp-reader", apiGroup: "rbac.authorization.k8s.io" }],
  });
  await kube.create("/apis/rbac.authorization.k8s.io/v1/clusterroles", {
    metadata: { name: "mcp-podreader" },
    rules: PODREADER_RULES.map((r) => ({ ...r, verbs: READ_VERBS })),
  });
  await kube.create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
    metadata: { name: "mcp-podreader" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "mcp-podreader" },
    subjects: [{ kind: "User", name: "mcp-podreader", apiGroup: "rbac.authorization.k8s.io" }],
  });
  // What the Helm chart grants with portForward.enabled: reads, plus create on pods/portforward.
  await kube.create("/apis/rbac.authorization.k8s.io/v1/clusterroles", {
    metadata: { name: "mcp-forwarder" },
    rules: [
      { apiGroups: ["*"], resources: ["*"], verbs: READ_VERBS },
      { apiGroups: [""], resources: ["pods/portforward"], verbs: ["create"] },
    ],
  });
  await kube.create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
    metadata: { name: "mcp-forwarder" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "mcp-forwarder" },
    subjects: ["mcp-forwarder", "mcp-forwarder-2"].map((name) => ({
      kind: "User",
      name,
      apiGroup: "rbac.authorization.k8s.io",
    })),
  });
  await kube.create(nsPath(VIEWER_NAMESPACE, "roles", "rbac.authorization.k8s.io/v1"), {
    metadata: { name: "mcp-viewer" },
    rules: [{ apiGroups: ["*"], resources: ["*"], verbs: READ_VERBS }],
  });
  await kube.create(nsPath(VIEWER_NAMESPACE, "rolebindings", "rbac.authorization.k8s.io/v1"), {
    metadata: { name: "mcp-viewer" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "mcp-viewer" },
    subjects: [{ kind: "User", name: "mcp-viewer", apiGroup: "rbac.authorization.k8s.io" }],
  });
}

async function namespaces(kube: Kube, names: readonly string[]): Promise<void> {
  await Promise.all(names.map(async (name) => {
    await kube.create("/api/v1/namespaces", {
      metadata: { name, labels: { "mcp-testenv": "true" } },
    });
    await kube.create(nsPath(name, "serviceaccounts"), { metadata: { name: "default" } });
  }));
}

async function nodes(
  kube: Kube,
  kubeletPort: number,
  now: string,
  withNotReady: boolean,
): Promise<void> {
  const unhealthy = (name: string): Record<string, { status: string; reason: string }> =>
    withNotReady && name === NOT_READY_NODE.name ? NOT_READY_NODE.conditions : {};
  await Promise.all(NODES.map((name, i) =>
    kube.create("/api/v1/nodes", {
      metadata: {
        name,
        labels: {
          "kubernetes.io/hostname": name,
          "kubernetes.io/os": "linux",
          "kubernetes.io/arch": "amd64",
          "node-role.kubernetes.io/worker": "",
        },
      },
      spec: { podCIDR: `10.244.${i}.0/24`, podCIDRs: [`10.244.${i}.0/24`] },
      status: {
        addresses: [{ type: "InternalIP", address: "127.0.0.1" }],
        daemonEndpoints: { kubeletEndpoint: { Port: kubeletPort } },
        capacity: { cpu: "4", memory: "8Gi", pods: "2000", "ephemeral-storage": "100Gi" },
        allocatable: { cpu: "4", memory: "8Gi", pods: "2000", "ephemeral-storage": "100Gi" },
        conditions: [
          ["MemoryPressure", "False", "KubeletHasSufficientMemory"],
          ["DiskPressure", "False", "KubeletHasNoDiskPressure"],
          ["PIDPressure", "False", "KubeletHasSufficientPID"],
          ["Ready", "True", "KubeletReady"],
        ].map(([type, status, reason]) => ({
          type,
          status,
          reason,
          message: "fake node of the MCP test environment",
          ...unhealthy(name)[type!],
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        })),
        nodeInfo: {
          kubeletVersion: "v1.34.4",
          kubeProxyVersion: "",
          operatingSystem: "linux",
          architecture: "amd64",
          osImage: "Debian GNU/Linux 12 (bookworm)",
          kernelVersion: "6.1.0-testenv",
          containerRuntimeVersion: "containerd://1.7.24",
          machineID: hex(16),
          systemUUID: crypto.randomUUID(),
          bootID: crypto.randomUUID(),
        },
      },
    })
  ));
}

function podTemplate(
  labels: Record<string, string>,
  containers: { name: string; image: string }[],
) {
  return {
    metadata: { labels },
    spec: { containers: containers.map((c) => ({ name: c.name, image: c.image })) },
  };
}

const ownerRef = (kind: string, apiVersion: string, obj: Obj, controller = true) => ({
  apiVersion,
  kind,
  name: obj.metadata.name,
  uid: obj.metadata.uid,
  controller,
  blockOwnerDeletion: true,
});

/** Creates a Deployment and its ReplicaSet (with ready statuses); returns the ReplicaSet. */
async function deployment(
  kube: Kube,
  d: { namespace: string; name: string; replicaSet: string; replicas: number },
  labels: Record<string, string>,
  containers: SeedContainer[],
): Promise<Obj> {
  const hash = d.replicaSet.slice(d.name.length + 1);
  const apps = "apps/v1";
  const dep = await kube.create(nsPath(d.namespace, "deployments", apps), {
    metadata: { name: d.name, labels },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: labels },
      template: podTemplate(labels, containers),
    },
  });
  const rsLabels = { ...labels, "pod-template-hash": hash };
  const rs = await kube.create(nsPath(d.namespace, "replicasets", apps), {
    metadata: {
      name: d.replicaSet,
      labels: rsLabels,
      annotations: { "deployment.kubernetes.io/revision": "1" },
      ownerReferences: [ownerRef("Deployment", apps, dep)],
    },
    spec: {
      replicas: d.replicas,
      selector: { matchLabels: rsLabels },
      template: podTemplate(rsLabels, containers),
    },
  });
  const n = d.replicas;
  await kube.mergePatch(`${nsPath(d.namespace, "replicasets", apps)}/${d.replicaSet}/status`, {
    status: {
      replicas: n,
      readyReplicas: n,
      availableReplicas: n,
      fullyLabeledReplicas: n,
      observedGeneration: 1,
    },
  });
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  await kube.mergePatch(`${nsPath(d.namespace, "deployments", apps)}/${d.name}/status`, {
    status: {
      observedGeneration: 1,
      replicas: n,
      updatedReplicas: n,
      readyReplicas: n,
      availableReplicas: n,
      conditions: [
        {
          type: "Available",
          status: "True",
          reason: "MinimumReplicasAvailable",
          message: "Deployment has minimum availability.",
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
        {
          type: "Progressing",
          status: "True",
          reason: "NewReplicaSetAvailable",
          message: `ReplicaSet "${d.replicaSet}" has successfully progressed.`,
          lastUpdateTime: now,
          lastTransitionTime: now,
        },
      ],
    },
  });
  return rs;
}

function podBody(
  p: SeedPod,
  owner: Obj | undefined,
  ownerKind: string | undefined,
  extraLabels = {},
) {
  const isJob = p.owner?.kind === "Job";
  return {
    metadata: {
      name: p.name,
      labels: { ...p.labels, ...extraLabels },
      ...(p.annotations ? { annotations: p.annotations } : {}),
      ...(owner && ownerKind
        ? {
          ownerReferences: [
            ownerRef(ownerKind, ownerKind === "Job" ? "batch/v1" : "apps/v1", owner),
          ],
        }
        : {}),
    },
    spec: {
      ...(p.node ? { nodeName: p.node } : {}),
      restartPolicy: isJob ? "Never" : "Always",
      terminationGracePeriodSeconds: 30,
      initContainers: (p.initContainers ?? []).map((c) => ({
        name: c.name,
        image: c.image,
        command: ["sh", "-c", "true"],
      })),
      containers: p.containers.map((c) => ({
        name: c.name,
        image: c.image,
        ...(c.ports ? { ports: c.ports.map((x) => ({ ...x, protocol: "TCP" })) } : {}),
        resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
      })),
    },
  };
}

function containerStatus(c: SeedContainer, start: string, init: boolean, ready: boolean) {
  const id = () => `containerd://${hex(32)}`;
  const state = c.state ?? (init ? "terminated" : "running");
  const terminated = c.terminated ?? { exitCode: 0, reason: "Completed" };
  return {
    name: c.name,
    image: c.image,
    imageID: `docker.io/library/${c.image.split(":")[0]}@sha256:${hex(32)}`,
    containerID: id(),
    ready: state === "running" && ready,
    started: state === "running",
    restartCount: c.restartCount ?? 0,
    state: state === "running" ? { running: { startedAt: start } } : state === "waiting"
      ? {
        waiting: {
          reason: c.waitingReason ?? "ContainerCreating",
          message: "back-off 5m0s restarting failed container",
        },
      }
      : { terminated: { ...terminated, startedAt: start, finishedAt: start, containerID: id() } },
    lastState: c.lastTerminated
      ? {
        terminated: { ...c.lastTerminated, startedAt: start, finishedAt: start, containerID: id() },
      }
      : {},
  };
}

function podStatus(p: SeedPod, podIP: string, start: string): Obj {
  if (!p.node) {
    return {
      phase: "Pending",
      conditions: [{
        type: "PodScheduled",
        status: "False",
        reason: "Unschedulable",
        message: "0/2 nodes are available: 2 Insufficient cpu.",
        lastTransitionTime: start,
      }],
    };
  }
  const allRunning = p.containers.every((c) => (c.state ?? "running") === "running");
  const ready = p.phase === "Running" && allRunning;
  const cond = (type: string, ok: boolean) => ({
    type,
    status: ok ? "True" : "False",
    lastTransitionTime: start,
  });
  return {
    phase: p.phase,
    conditions: [
      cond("PodReadyToStartContainers", p.phase === "Running"),
      cond("Initialized", true),
      cond("Ready", ready),
      cond("ContainersReady", ready),
      cond("PodScheduled", true),
    ],
    hostIP: "127.0.0.1",
    hostIPs: [{ ip: "127.0.0.1" }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: start,
    initContainerStatuses: (p.initContainers ?? []).map((c) =>
      containerStatus(c, start, true, false)
    ),
    containerStatuses: p.containers.map((c) => containerStatus(c, start, false, ready)),
    ...(p.ephemeralContainers
      ? {
        ephemeralContainerStatuses: p.ephemeralContainers.map((c) =>
          containerStatus(c, start, false, false)
        ),
      }
      : {}),
  };
}

function podIPFor(i: number): string {
  return `10.244.${Math.floor(i / 250) % 250}.${(i % 250) + 2}`;
}

async function createPod(
  kube: Kube,
  p: SeedPod,
  ipIndex: number,
  owners: Map<string, { obj: Obj; kind: string }>,
): Promise<void> {
  const owner = p.owner ? owners.get(`${p.namespace}/${p.owner.kind}/${p.owner.name}`) : undefined;
  const extraLabels = owner?.kind === "Job"
    ? {
      "batch.kubernetes.io/controller-uid": owner.obj.metadata.uid,
      "controller-uid": owner.obj.metadata.uid,
      "batch.kubernetes.io/job-name": owner.obj.metadata.name,
    }
    : {};
  const base = nsPath(p.namespace, "pods");
  await kube.create(base, podBody(p, owner?.obj, owner?.kind, extraLabels));
  if (p.ephemeralContainers) {
    await kube.strategicPatch(`${base}/${p.name}/ephemeralcontainers`, {
      spec: {
        ephemeralContainers: p.ephemeralContainers.map((c) => ({
          name: c.name,
          image: c.image,
          command: ["sh"],
          stdin: true,
          tty: true,
          ...(c.targetContainerName ? { targetContainerName: c.targetContainerName } : {}),
        })),
      },
    });
  }
  const start = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  await kube.mergePatch(`${base}/${p.name}/status`, {
    status: podStatus(p, podIPFor(ipIndex), start),
  });
}

const CRD_PATH = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

/** Waits until a CRD is Established (served), at most 30 s. */
async function waitEstablished(kube: Kube, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const crd = await kube.get(`${CRD_PATH}/${name}`);
    const conds: { type: string; status: string }[] = crd.status?.conditions ?? [];
    if (conds.some((x) => x.type === "Established" && x.status === "True")) return;
    if (Date.now() > deadline) throw new Error(`CRD ${name} not Established after 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function crds(kube: Kube): Promise<void> {
  const path = CRD_PATH;
  await Promise.all(
    Object.values(CRDS).map((c) =>
      kube.create(path, {
        metadata: { name: c.name },
        spec: {
          group: c.group,
          scope: c.scope,
          names: {
            plural: c.plural,
            singular: c.singular,
            kind: c.kind,
            shortNames: [...c.shortNames],
            listKind: `${c.kind}List`,
          },
          versions: [{
            name: c.version,
            served: true,
            storage: true,
            subresources: { status: {} },
            additionalPrinterColumns: c.kind === "Widget"
              ? [
                { name: "Color", type: "string", jsonPath: ".spec.color" },
                { name: "Size", type: "integer", jsonPath: ".spec.size" },
                { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
              ]
              : [{ name: "Power", type: "integer", jsonPath: ".spec.power" }],
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: {
                  spec: c.kind === "Widget"
                    ? {
                      type: "object",
                      properties: { color: { type: "string" }, size: { type: "integer" } },
                    }
                    : { type: "object", properties: { power: { type: "integer" } } },
                  status: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
                },
              },
            },
          }],
        },
      })
    ),
  );
  // Wait until both are Established (served), then create the custom resources.
  for (const c of Object.values(CRDS)) {
    await waitEstablished(kube, c.name);
  }
  const w = CRDS.widget;
  for (const x of WIDGETS) {
    await kube.create(nsPath(x.namespace, w.plural, `${w.group}/${w.version}`), {
      apiVersion: `${w.group}/${w.version}`,
      kind: w.kind,
      metadata: { name: x.name, labels: { color: x.spec.color } },
      spec: x.spec,
    });
  }
  const g = CRDS.gadget;
  for (const x of GADGETS) {
    await kube.create(`/apis/${g.group}/${g.version}/${g.plural}`, {
      apiVersion: `${g.group}/${g.version}`,
      kind: g.kind,
      metadata: { name: x.name },
      spec: x.spec,
    });
  }
}

async function configObjects(kube: Kube): Promise<void> {
  await Promise.all([
    ...SERVICES.map((s) =>
      kube.create(nsPath(s.namespace, "services"), {
        metadata: { name: s.name, labels: { app: s.name } },
        spec: {
          selector: s.selector,
          ports: [{
            name: "http",
            port: s.port,
            targetPort: "targetPort" in s ? s.targetPort : s.port,
            protocol: "TCP",
          }],
        },
      })
    ),
    ...CONFIGMAPS.map((c) =>
      kube.create(nsPath(c.namespace, "configmaps"), { metadata: { name: c.name }, data: c.data })
    ),
    ...SECRETS.map((s) =>
      kube.create(nsPath(s.namespace, "secrets"), {
        metadata: { name: s.name },
        type: "Opaque",
        data: Object.fromEntries(Object.entries(s.data).map(([k, v]) => [k, encodeBase64(v)])),
      })
    ),
  ]);
}

function bytesBase64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The redaction fixtures: known values of every shape, one with a last-applied copy. */
async function secretFixtures(kube: Kube): Promise<void> {
  await Promise.all(SEED_SECRETS.map((s) => {
    const body: Obj = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: s.name, namespace: SECRET_NAMESPACE, annotations: { ...s.annotations } },
      type: s.type,
    };
    if (s.data) {
      body.data = Object.fromEntries(
        Object.entries(s.data).map(([k, v]) => [k, bytesBase64(secretBytes(v))]),
      );
    }
    if (s.stringData) body.stringData = s.stringData;
    if (s.annotations) {
      // What kubectl apply leaves behind: the whole object again, values included.
      body.metadata.annotations[LAST_APPLIED_ANNOTATION] = JSON.stringify(body);
    }
    return kube.create(nsPath(SECRET_NAMESPACE, "secrets"), body);
  }));
}

/** A CRD named secrets in another group, and one object: it must not be taken for a Secret. */
async function lookalikeSecrets(kube: Kube): Promise<void> {
  const c = LOOKALIKE_SECRET_CRD;
  const path = CRD_PATH;
  await kube.create(path, {
    metadata: { name: c.name },
    spec: {
      group: c.group,
      scope: "Namespaced",
      names: { plural: c.plural, singular: c.singular, kind: c.kind },
      versions: [{
        name: c.version,
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: { data: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
          },
        },
      }],
    },
  });
  await waitEstablished(kube, c.name);
  await kube.create(nsPath(SECRET_NAMESPACE, c.plural, `${c.group}/${c.version}`), {
    apiVersion: `${c.group}/${c.version}`,
    kind: c.kind,
    metadata: { name: LOOKALIKE_SECRET.name },
    data: LOOKALIKE_SECRET.data,
  });
}

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

async function events(
  kube: Kube,
  podUids: Map<string, string>,
  owners: Map<string, { obj: Obj; kind: string }>,
): Promise<void> {
  const now = Date.now();
  const deployments = new Map<string, Obj>();
  for (const e of EVENTS.filter((e) => e.involvedKind === "Deployment")) {
    deployments.set(
      `${e.namespace}/${e.involvedPod}`,
      await kube.get(`${nsPath(e.namespace, "deployments", "apps/v1")}/${e.involvedPod}`),
    );
  }
  await Promise.all(EVENTS.map((e) => {
    const last = stamp(now - e.ageSeconds * 1000);
    const first = stamp(now - (e.ageSeconds + 60 * (e.count - 1)) * 1000);
    const pod = PODS.find((p) => p.namespace === e.namespace && p.name === e.involvedPod);
    const kind = e.involvedKind ?? "Pod";
    const uid = kind === "Pod"
      ? podUids.get(`${e.namespace}/${e.involvedPod}`)
      : kind === "ReplicaSet"
      ? owners.get(`${e.namespace}/ReplicaSet/${e.involvedPod}`)?.obj.metadata.uid
      : deployments.get(`${e.namespace}/${e.involvedPod}`)?.metadata.uid;
    const involved = {
      kind,
      apiVersion: kind === "Pod" ? "v1" : "apps/v1",
      namespace: e.namespace,
      name: e.involvedPod,
      uid,
    };
    const host = pod?.node ?? "fake-node-1";
    const component = kind === "Pod" ? "kubelet" : `${kind.toLowerCase()}-controller`;
    if (e.eventsApi) {
      return kube.create(`/apis/events.k8s.io/v1/namespaces/${e.namespace}/events`, {
        metadata: { name: e.name },
        regarding: involved,
        type: e.type,
        reason: e.reason,
        note: e.message,
        action: "Probing",
        eventTime: new Date(now - e.ageSeconds * 1000).toISOString().replace(/Z$/, "000Z"),
        reportingController: component,
        reportingInstance: host,
      });
    }
    return kube.create(nsPath(e.namespace, "events"), {
      metadata: { name: e.name },
      involvedObject: involved,
      type: e.type,
      reason: e.reason,
      message: e.message,
      count: e.count,
      firstTimestamp: first,
      lastTimestamp: last,
      source: kind === "Pod" ? { component, host } : { component },
      reportingComponent: component,
      reportingInstance: kind === "Pod" ? host : "",
    });
  }));
}

async function workloads(kube: Kube): Promise<Map<string, { obj: Obj; kind: string }>> {
  const owners = new Map<string, { obj: Obj; kind: string }>();
  const add = (ns: string, kind: string, obj: Obj) =>
    owners.set(`${ns}/${kind}/${obj.metadata.name}`, { obj, kind });
  const byName = (ns: string, name: string) =>
    PODS.find((p) => p.namespace === ns && p.name === name)!;
  const [web, api, billing, bulk] = await Promise.all([
    deployment(kube, WEB_DEPLOYMENT, { app: "web", tier: "frontend" }, PODS[0]!.containers),
    deployment(
      kube,
      API_DEPLOYMENT,
      { app: "api" },
      byName("team-a", "api-6b8d9f7c5-q7w2e").containers,
    ),
    deployment(
      kube,
      BILLING_DEPLOYMENT,
      { app: "billing" },
      byName("team-b", "billing-5f6d7c8b9-k2m4n").containers,
    ),
    deployment(kube, BULK_DEPLOYMENT, { app: "bulk-worker" }, bulkPod(0).containers),
  ]);
  add(WEB_DEPLOYMENT.namespace, "ReplicaSet", web);
  add(API_DEPLOYMENT.namespace, "ReplicaSet", api);
  add(BILLING_DEPLOYMENT.namespace, "ReplicaSet", billing);
  add(BULK_DEPLOYMENT.namespace, "ReplicaSet", bulk);

  const sts = await kube.create(nsPath(CACHE_STATEFULSET.namespace, "statefulsets", "apps/v1"), {
    metadata: { name: CACHE_STATEFULSET.name, labels: { app: "cache" } },
    spec: {
      replicas: 1,
      serviceName: "cache",
      selector: { matchLabels: { app: "cache" } },
      template: podTemplate({ app: "cache" }, [{ name: "redis", image: "redis:7.4" }]),
    },
  });
  await kube.mergePatch(
    `${nsPath(CACHE_STATEFULSET.namespace, "statefulsets", "apps/v1")}/cache/status`,
    {
      status: {
        replicas: 1,
        readyReplicas: 1,
        currentReplicas: 1,
        updatedReplicas: 1,
        availableReplicas: 1,
        observedGeneration: 1,
      },
    },
  );
  add(CACHE_STATEFULSET.namespace, "StatefulSet", sts);

  const job = await kube.create(nsPath(MIGRATE_JOB.namespace, "jobs", "batch/v1"), {
    metadata: { name: MIGRATE_JOB.name },
    spec: {
      backoffLimit: 2,
      template: {
        spec: {
          restartPolicy: "Never",
          containers: [{ name: "migrate", image: "flyway/flyway:10" }],
        },
      },
    },
  });
  add(MIGRATE_JOB.namespace, "Job", job);
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  try {
    await kube.mergePatch(
      `${nsPath(MIGRATE_JOB.namespace, "jobs", "batch/v1")}/${MIGRATE_JOB.name}/status`,
      {
        status: {
          startTime: now,
          completionTime: now,
          succeeded: 1,
          active: 0,
          ready: 0,
          terminating: 0,
          uncountedTerminatedPods: {},
          conditions: [
            {
              type: "SuccessCriteriaMet",
              status: "True",
              reason: "CompletionsReached",
              message: "Reached expected number of succeeded pods",
              lastProbeTime: now,
              lastTransitionTime: now,
            },
            {
              type: "Complete",
              status: "True",
              reason: "CompletionsReached",
              message: "Reached expected number of succeeded pods",
              lastProbeTime: now,
              lastTransitionTime: now,
            },
          ],
        },
      },
    );
  } catch (e) {
    log(`note: could not mark Job ${MIGRATE_JOB.name} complete: ${(e as Error).message}`);
  }
  return owners;
}

export interface MetricsApiService {
  port: number;
  caCert: string;
}

async function metricsApiService(kube: Kube, m: MetricsApiService): Promise<void> {
  await kube.create(nsPath("kube-system", "services"), {
    metadata: { name: "metrics-server", labels: { "k8s-app": "metrics-server" } },
    spec: {
      type: "ExternalName",
      externalName: "127.0.0.1",
      ports: [{ name: "https", port: m.port, protocol: "TCP" }],
    },
  });
  await kube.create("/apis/apiregistration.k8s.io/v1/apiservices", {
    metadata: { name: "v1beta1.metrics.k8s.io", labels: { "k8s-app": "metrics-server" } },
    spec: {
      group: "metrics.k8s.io",
      version: "v1beta1",
      groupPriorityMinimum: 100,
      versionPriority: 100,
      caBundle: encodeBase64(m.caCert),
      service: { name: "metrics-server", namespace: "kube-system", port: m.port },
    },
  });
}

export async function waitApiServiceAvailable(kube: Kube, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const a = await kube.get("/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io");
    // deno-lint-ignore no-explicit-any
    const c = a.status?.conditions?.find((x: any) => x.type === "Available");
    if (c?.status === "True") return;
    last = c ? `${c.reason}: ${c.message}` : "no condition yet";
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `APIService v1beta1.metrics.k8s.io not Available after ${timeoutMs / 1000} s: ${last}`,
  );
}

/** Seeds the main cluster. */
export async function seedMain(
  kube: Kube,
  opts: { kubeletPort: number; metrics: MetricsApiService },
): Promise<void> {
  const t0 = performance.now();
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  await namespaces(kube, NAMESPACES);
  await Promise.all([
    rbac(kube),
    nodes(kube, opts.kubeletPort, now, true),
    configObjects(kube),
    metricsApiService(kube, opts.metrics),
    crds(kube),
    secretFixtures(kube),
    lookalikeSecrets(kube),
  ]);
  const owners = await workloads(kube);
  const t1 = performance.now();
  // The small set one by one (in order), paced by the progress of the bulk pods created
  // concurrently: the small-set pods get creationTimestamps spread over the bulk run.
  const bulk = Array.from({ length: BULK_POD_COUNT }, (_, i) => bulkPod(i));
  let bulkDone = 0;
  const small = (async () => {
    for (const [i, p] of PODS.entries()) {
      const due = Math.floor((i * BULK_POD_COUNT) / PODS.length);
      while (bulkDone < due) await new Promise((r) => setTimeout(r, 10));
      await createPod(kube, p, 3000 + i, owners);
    }
  })();
  await pool(bulk, BULK_CONCURRENCY, async (p, i) => {
    await createPod(kube, p, i, owners);
    bulkDone++;
  });
  const t2 = performance.now();
  await small;
  const uids = new Map<string, string>();
  for (const ns of ["mcp-test", "team-a", "team-b"]) {
    const list = await kube.get(`/api/v1/namespaces/${ns}/pods`);
    for (const p of list.items) uids.set(`${ns}/${p.metadata.name}`, p.metadata.uid);
  }
  await events(kube, uids, owners);
  log(
    `seeded main cluster in ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
      `(${BULK_POD_COUNT} bulk pods in ${((t2 - t1) / 1000).toFixed(1)} s)`,
  );
}

/** Seeds the nometrics cluster: namespaces, RBAC, nodes, one pod; no APIService. */
export async function seedNoMetrics(kube: Kube, opts: { kubeletPort: number }): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  await namespaces(kube, NOMETRICS_NAMESPACES);
  await Promise.all([rbac(kube), nodes(kube, opts.kubeletPort, now, false)]);
  for (const [i, p] of NOMETRICS_PODS.entries()) await createPod(kube, p, 4000 + i, new Map());
}
