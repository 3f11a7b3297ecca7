// The seed facts: what `deno task testenv up` creates. seed.ts creates exactly this, logs.ts writes
// these logs, and tests import the same constants, so nothing is hard-coded twice.
// Pure data and pure functions only (no I/O): safe to import from anywhere.

export const NAMESPACES = ["mcp-test", "team-a", "team-b", "bulk"] as const;
/** Namespaces created in the `nometrics` cluster (the second apiserver). */
export const NOMETRICS_NAMESPACES = ["mcp-test", "team-a"] as const;

export const NODES = ["fake-node-1", "fake-node-2"] as const;

/**
 * In the main cluster this node has stopped being Ready (its pods still run, as right after a
 * kubelet loses its network); in the nometrics cluster every node is Ready. Conditions not listed
 * here are in their healthy state.
 */
export const NOT_READY_NODE = {
  name: "fake-node-2",
  conditions: {
    Ready: {
      status: "False",
      reason: "KubeletNotReady",
      message: "container runtime network not ready: NetworkReady=false " +
        "reason:NetworkPluginNotReady message:cni plugin not initialized",
    },
    DiskPressure: {
      status: "True",
      reason: "KubeletHasDiskPressure",
      message: "kubelet has disk pressure",
    },
  },
} as const;

/** Kubeconfig contexts. `reader` is the current-context: the identity the MCP server runs as. */
export const CONTEXTS = {
  reader: { user: "mcp-reader", namespace: "mcp-test", auth: "client-certificate" },
  "reader-alt": { user: "mcp-reader", namespace: "team-a", auth: "client-certificate" },
  viewer: { user: "mcp-viewer", namespace: "team-a", auth: "token" },
  nobody: { user: "mcp-nobody", namespace: "mcp-test", auth: "token" },
  admin: { user: "mcp-admin", namespace: "mcp-test", auth: "client-certificate" },
  nometrics: { user: "mcp-reader", namespace: "mcp-test", auth: "client-certificate" },
  podreader: { user: "mcp-podreader", namespace: "mcp-test", auth: "token" },
  // Port forwarding: read everything, plus create on pods/portforward (two users, for passthrough).
  forwarder: { user: "mcp-forwarder", namespace: "mcp-test", auth: "token" },
  "forwarder-2": { user: "mcp-forwarder-2", namespace: "mcp-test", auth: "token" },
} as const;
export type ContextName = keyof typeof CONTEXTS;
export const CURRENT_CONTEXT: ContextName = "reader";
/** The only namespace in which `viewer` may get/list/watch. */
export const VIEWER_NAMESPACE = "team-a";
/**
 * What `podreader` may get/list/watch, cluster-wide: pods and their logs and ReplicaSets, but not
 * Deployments, Events or Nodes (a describe then misses events and the top of the owner chain).
 */
export const PODREADER_RULES = [
  { apiGroups: [""], resources: ["pods", "pods/log"] },
  { apiGroups: ["apps"], resources: ["replicasets"] },
] as const;

export const CRDS = {
  widget: {
    name: "widgets.example.com",
    group: "example.com",
    version: "v1",
    plural: "widgets",
    singular: "widget",
    kind: "Widget",
    shortNames: ["wd"],
    scope: "Namespaced",
  },
  gadget: {
    name: "gadgets.example.com",
    group: "example.com",
    version: "v1",
    plural: "gadgets",
    singular: "gadget",
    kind: "Gadget",
    shortNames: ["gd"],
    scope: "Cluster",
  },
} as const;

export const WIDGETS = [
  { namespace: "mcp-test", name: "alpha", spec: { color: "red", size: 3 } },
  { namespace: "mcp-test", name: "beta", spec: { color: "blue", size: 5 } },
  { namespace: "team-a", name: "gamma", spec: { color: "green", size: 1 } },
] as const;
export const GADGETS = [
  { name: "gizmo", spec: { power: 9000 } },
  { name: "doohickey", spec: { power: 42 } },
] as const;

// ---------------------------------------------------------------- pods

export interface SeedContainer {
  name: string;
  image: string;
  restartCount?: number;
  /** lastState.terminated of the current container (makes `previous` logs meaningful). */
  lastTerminated?: { exitCode: number; reason: string };
  /** Current state; default "running" (init containers: "terminated" with reason Completed). */
  state?: "running" | "waiting" | "terminated";
  waitingReason?: string;
  terminated?: { exitCode: number; reason: string };
  /** spec.containers[].ports: the fake kubelet serves each on a loopback HTTP server (port-forward). */
  ports?: { name: string; containerPort: number }[];
}

export interface SeedOwner {
  kind: "ReplicaSet" | "Job" | "StatefulSet";
  name: string;
}

export interface SeedPod {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  owner?: SeedOwner;
  /** null: never scheduled (stays Pending, no node). */
  node: string | null;
  phase: "Running" | "Pending" | "Succeeded" | "Failed";
  initContainers?: SeedContainer[];
  containers: SeedContainer[];
  /** Added through the pods/ephemeralcontainers subresource after creation. */
  ephemeralContainers?: (SeedContainer & { targetContainerName?: string })[];
  podIP?: string;
}

export const WEB_DEPLOYMENT = {
  namespace: "mcp-test",
  name: "web",
  replicaSet: "web-7d4b9c8f6d",
  replicas: 2,
};
export const API_DEPLOYMENT = {
  namespace: "team-a",
  name: "api",
  replicaSet: "api-6b8d9f7c5",
  replicas: 1,
};
export const BILLING_DEPLOYMENT = {
  namespace: "team-b",
  name: "billing",
  replicaSet: "billing-5f6d7c8b9",
  replicas: 1,
};
export const BULK_DEPLOYMENT = {
  namespace: "bulk",
  name: "bulk-worker",
  replicaSet: "bulk-worker-6c9d8b7f5",
  replicas: 1500,
};
export const CACHE_STATEFULSET = { namespace: "team-a", name: "cache", replicas: 1 };
export const MIGRATE_JOB = { namespace: "mcp-test", name: "migrate" };

export const POD = {
  web1: "web-7d4b9c8f6d-x2x7k",
  web2: "web-7d4b9c8f6d-q9w8e",
  worker: "worker",
  ansi: "color-logger",
  biglog: "biglog",
  initDemo: "init-demo",
  debugTarget: "debug-target",
  pending: "pending-pod",
  crashloop: "crashloop",
  migrate: "migrate-7xk2p",
  api: "api-6b8d9f7c5-q7w2e",
  cache: "cache-0",
  billing: "billing-5f6d7c8b9-k2m4n",
  /** The one pod of the nometrics cluster. */
  solo: "solo",
} as const;

const nginx = "nginx:1.27.3";

/** The web pods' named container port; Service `web` maps its port 80 ("http") to it by name. */
export const WEB_HTTP_PORT = { name: "http", containerPort: 8080 };

/** Pods of the small, hand-made set (created in this order, one after another). */
export const PODS: SeedPod[] = [
  {
    namespace: "mcp-test",
    name: POD.web1,
    labels: { app: "web", tier: "frontend", "pod-template-hash": "7d4b9c8f6d" },
    owner: { kind: "ReplicaSet", name: WEB_DEPLOYMENT.replicaSet },
    node: "fake-node-1",
    phase: "Running",
    initContainers: [{ name: "init-config", image: "busybox:1.36" }],
    containers: [
      {
        name: "app",
        image: nginx,
        restartCount: 1,
        lastTerminated: { exitCode: 137, reason: "OOMKilled" },
        ports: [WEB_HTTP_PORT],
      },
      { name: "sidecar", image: "fluent/fluent-bit:3.1" },
    ],
  },
  {
    namespace: "mcp-test",
    name: POD.web2,
    labels: { app: "web", tier: "frontend", "pod-template-hash": "7d4b9c8f6d" },
    // kubectl reads this container when none is named (get_logs does too).
    annotations: { "kubectl.kubernetes.io/default-container": "sidecar" },
    owner: { kind: "ReplicaSet", name: WEB_DEPLOYMENT.replicaSet },
    node: "fake-node-2",
    phase: "Running",
    initContainers: [{ name: "init-config", image: "busybox:1.36" }],
    containers: [{ name: "app", image: nginx, ports: [WEB_HTTP_PORT] }, {
      name: "sidecar",
      image: "fluent/fluent-bit:3.1",
    }],
  },
  {
    namespace: "mcp-test",
    name: POD.worker,
    labels: { app: "worker" },
    node: "fake-node-1",
    phase: "Running",
    containers: [
      {
        name: "main",
        image: "python:3.12-slim",
        restartCount: 3,
        lastTerminated: { exitCode: 1, reason: "Error" },
      },
    ],
  },
  {
    namespace: "mcp-test",
    name: POD.ansi,
    labels: { app: "color-logger" },
    node: "fake-node-2",
    phase: "Running",
    containers: [{ name: "app", image: "node:22-alpine" }],
  },
  {
    namespace: "mcp-test",
    name: POD.biglog,
    labels: { app: "biglog" },
    node: "fake-node-1",
    phase: "Running",
    containers: [{ name: "app", image: "ghcr.io/example/chatty:2.0" }],
  },
  {
    namespace: "mcp-test",
    name: POD.initDemo,
    labels: { app: "init-demo" },
    node: "fake-node-2",
    phase: "Running",
    initContainers: [
      { name: "init-db", image: "busybox:1.36" },
      { name: "init-cache", image: "busybox:1.36" },
    ],
    containers: [{ name: "app", image: nginx }],
  },
  {
    namespace: "mcp-test",
    name: POD.debugTarget,
    labels: { app: "debug-target" },
    node: "fake-node-1",
    phase: "Running",
    containers: [{ name: "app", image: nginx }],
    ephemeralContainers: [{ name: "debugger", image: "busybox:1.36", targetContainerName: "app" }],
  },
  {
    namespace: "mcp-test",
    name: POD.pending,
    labels: { app: "pending" },
    node: null,
    phase: "Pending",
    containers: [{ name: "app", image: nginx }],
  },
  {
    namespace: "mcp-test",
    name: POD.crashloop,
    labels: { app: "crashloop" },
    node: "fake-node-2",
    phase: "Running",
    containers: [
      {
        name: "app",
        image: "ghcr.io/example/flaky:0.3",
        state: "waiting",
        waitingReason: "CrashLoopBackOff",
        restartCount: 5,
        lastTerminated: { exitCode: 2, reason: "Error" },
      },
    ],
  },
  {
    namespace: "mcp-test",
    name: POD.migrate,
    labels: { "job-name": MIGRATE_JOB.name },
    owner: { kind: "Job", name: MIGRATE_JOB.name },
    node: "fake-node-1",
    phase: "Succeeded",
    containers: [
      {
        name: "migrate",
        image: "flyway/flyway:10",
        state: "terminated",
        terminated: { exitCode: 0, reason: "Completed" },
      },
    ],
  },
  {
    namespace: "team-a",
    name: POD.api,
    labels: { app: "api", "pod-template-hash": "6b8d9f7c5" },
    owner: { kind: "ReplicaSet", name: API_DEPLOYMENT.replicaSet },
    node: "fake-node-1",
    phase: "Running",
    containers: [{ name: "api", image: "ghcr.io/example/api:1.4.2" }],
  },
  {
    namespace: "team-a",
    name: POD.cache,
    labels: { app: "cache", "statefulset.kubernetes.io/pod-name": "cache-0" },
    owner: { kind: "StatefulSet", name: CACHE_STATEFULSET.name },
    node: "fake-node-2",
    phase: "Running",
    containers: [{ name: "redis", image: "redis:7.4" }],
  },
  {
    namespace: "team-b",
    name: POD.billing,
    labels: { app: "billing", "pod-template-hash": "5f6d7c8b9" },
    owner: { kind: "ReplicaSet", name: BILLING_DEPLOYMENT.replicaSet },
    node: "fake-node-2",
    phase: "Running",
    containers: [{ name: "billing", image: "ghcr.io/example/billing:3.0" }],
  },
];

export const NOMETRICS_PODS: SeedPod[] = [
  {
    namespace: "mcp-test",
    name: POD.solo,
    labels: { app: "solo" },
    node: "fake-node-1",
    phase: "Running",
    containers: [{ name: "app", image: nginx }],
  },
];

export const BULK_NAMESPACE = "bulk";
export const BULK_POD_COUNT = 1500;
export const BULK_CONTAINER = "worker";
export const BULK_SHARDS = 10;
export function bulkPodName(i: number): string {
  return `bulk-worker-6c9d8b7f5-${String(i).padStart(4, "0")}`;
}
export function bulkPod(i: number): SeedPod {
  return {
    namespace: BULK_NAMESPACE,
    name: bulkPodName(i),
    labels: {
      app: "bulk-worker",
      shard: String(i % BULK_SHARDS),
      "pod-template-hash": "6c9d8b7f5",
    },
    owner: { kind: "ReplicaSet", name: BULK_DEPLOYMENT.replicaSet },
    node: NODES[i % NODES.length]!,
    phase: "Running",
    containers: [{ name: BULK_CONTAINER, image: "ghcr.io/example/worker:1.0" }],
  };
}

/** Every pod of the main cluster (small set + bulk). */
export function allPods(): SeedPod[] {
  return [...PODS, ...Array.from({ length: BULK_POD_COUNT }, (_, i) => bulkPod(i))];
}

/** Pods that the fake metrics server reports (scheduled and Running, as metrics-server would). */
export function hasMetrics(p: SeedPod): boolean {
  return p.node !== null && p.phase === "Running";
}

// ---------------------------------------------------------------- other objects

export const SERVICES = [
  // targetPort by name: WEB_HTTP_PORT of the web pods (port-forward to a Service resolves it).
  { namespace: "mcp-test", name: "web", selector: { app: "web" }, port: 80, targetPort: "http" },
  { namespace: "team-a", name: "api", selector: { app: "api" }, port: 8080 },
  { namespace: "team-b", name: "billing", selector: { app: "billing" }, port: 8443 },
] as const;

export const CONFIGMAPS = [
  {
    namespace: "mcp-test",
    name: "web-config",
    data: { "nginx.conf": "worker_processes 2;\n", "LOG_LEVEL": "info" },
  },
  {
    namespace: "team-a",
    name: "api-config",
    data: { "config.yaml": "port: 8080\nfeatures: [a, b]\n" },
  },
  { namespace: "team-b", name: "billing-config", data: { currency: "EUR" } },
] as const;

/** Secret values (stored base64 as usual). Tests can check the server redacts them. */
export const SECRETS = [
  {
    namespace: "mcp-test",
    name: "db-credentials",
    data: { username: "app", password: "s3cr3t-mcp-test" },
  },
  { namespace: "team-a", name: "api-token", data: { token: "team-a-token-value" } },
  { namespace: "team-b", name: "billing-db", data: { password: "team-b-password" } },
] as const;

/** Bytes that are not UTF-8 (a lone 0xff, 0xfe, NUL, a bare continuation byte), with a marker. */
export const BINARY_SECRET_VALUE = new Uint8Array([
  0xff,
  0xfe,
  0x00,
  0x80,
  ...new TextEncoder().encode("MCPBINARYSECRET"),
  0xc3,
  0x28,
  0x00,
  0xff,
]);

export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

/**
 * Secrets with distinctive values, for the redaction tests: no tool result may ever contain one
 * of these values, in plain text or base64 (see secretNeedles). Values are strings (UTF-8) or
 * bytes. All in mcp-test.
 */
export interface SeedSecret {
  name: string;
  type: string;
  data?: Record<string, string | Uint8Array>;
  /** Sent as stringData: the API server stores it in data. */
  stringData?: Record<string, string>;
  /** Extra annotations; the opaque Secret also carries a last-applied copy of its data. */
  annotations?: Record<string, string>;
}

const TLS_CERT = "-----BEGIN CERTIFICATE-----\nMCPTLSCERT0b5e6a1f9d2c7e84MIIBszCCAVmgAwIBAgIU\n" +
  "-----END CERTIFICATE-----\n";
const TLS_KEY = "-----BEGIN PRIVATE KEY-----\nMCPTLSKEY7c1d9e3a5b8f2046MIGHAgEAMBMGByqGSM49\n" +
  "-----END PRIVATE KEY-----\n";

export const SECRET_NAMESPACE = "mcp-test";

export const SEED_SECRETS: readonly SeedSecret[] = [
  {
    name: "mcp-opaque",
    type: "Opaque",
    data: { password: "OPAQUE-pw-7f3a9c21e5", "api.key": "OPAQUE-key-d4e8b6a0c3" },
    annotations: { team: "payments" },
  },
  { name: "mcp-stringdata", type: "Opaque", stringData: { token: "STRINGDATA-tok-4b8e2d9f1a" } },
  { name: "mcp-binary", type: "Opaque", data: { "blob.bin": BINARY_SECRET_VALUE } },
  { name: "mcp-tls", type: "kubernetes.io/tls", data: { "tls.crt": TLS_CERT, "tls.key": TLS_KEY } },
  { name: "mcp-empty", type: "Opaque", data: { empty: "", "not-empty": "EMPTYNEIGHBOUR-5c7a9e" } },
];

/** The bytes of a seeded value, as a Secret's data holds them once decoded. */
export function secretBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === "string" ? new TextEncoder().encode(value) : value;
}

/** Every seeded Secret value with its Secret and key (stringData included). */
export function seededSecretValues(): { name: string; key: string; bytes: Uint8Array }[] {
  return SEED_SECRETS.flatMap((s) =>
    Object.entries({ ...s.data, ...s.stringData }).map(([key, v]) => ({
      name: s.name,
      key,
      bytes: secretBytes(v),
    }))
  );
}

function base64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * Strings that must never appear in a tool result: each seeded value (and the older SECRETS
 * values) whole in base64, and its distinctive runs of text (10+ letters, digits and dashes, not
 * PEM armour), which survive JSON escaping. Values shorter than 8 bytes are too common to search.
 */
export function secretNeedles(): string[] {
  const values = [
    ...seededSecretValues().map((v) => v.bytes),
    ...SECRETS.flatMap((s) => Object.values(s.data).map((v) => new TextEncoder().encode(v))),
  ].filter((b) => b.length >= 8);
  const needles = new Set<string>();
  for (const bytes of values) {
    needles.add(base64(bytes));
    const text = new TextDecoder().decode(bytes);
    for (const m of text.match(/[A-Za-z0-9-]{10,}/g) ?? []) {
      if (!m.startsWith("-----") && !m.endsWith("-----")) needles.add(m);
    }
  }
  return [...needles];
}

/** A CRD whose plural is also "secrets", in another group: never redacted. */
export const LOOKALIKE_SECRET_CRD = {
  name: "secrets.vault.example.com",
  group: "vault.example.com",
  version: "v1",
  plural: "secrets",
  singular: "secret",
  kind: "Secret",
} as const;

/** One object of that CRD in mcp-test; its data is plain configuration, shown as stored. */
export const LOOKALIKE_SECRET = {
  name: "not-a-core-secret",
  data: { password: "visible-crd-field" },
} as const;

export interface SeedEvent {
  namespace: string;
  name: string;
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  /** The object the event is about (a Pod unless `involvedKind` says otherwise). */
  involvedPod: string;
  involvedKind?: "Deployment" | "ReplicaSet";
  count: number;
  /** Seconds before "now" (the seeding time) of lastTimestamp. */
  ageSeconds: number;
  /**
   * Created through events.k8s.io/v1 with only `eventTime` (no lastTimestamp), as newer
   * controllers write them; `ageSeconds` is then the age of eventTime.
   */
  eventsApi?: boolean;
}

export const EVENTS: SeedEvent[] = [
  ev(
    "mcp-test",
    POD.web1,
    "Normal",
    "Scheduled",
    `Successfully assigned mcp-test/${POD.web1} to fake-node-1`,
    1,
    900,
  ),
  ev(
    "mcp-test",
    POD.web1,
    "Normal",
    "Pulled",
    `Container image "${nginx}" already present on machine`,
    1,
    890,
  ),
  ev("mcp-test", POD.web1, "Normal", "Started", "Started container app", 2, 300),
  ev(
    "mcp-test",
    POD.web1,
    "Warning",
    "OOMKilling",
    "Memory cgroup out of memory: Killed process 4242 (nginx)",
    1,
    310,
  ),
  ev(
    "mcp-test",
    POD.crashloop,
    "Warning",
    "BackOff",
    "Back-off restarting failed container app in pod crashloop",
    12,
    20,
  ),
  ev(
    "mcp-test",
    POD.worker,
    "Warning",
    "Unhealthy",
    "Liveness probe failed: HTTP probe failed with statuscode: 500",
    3,
    120,
  ),
  {
    ...ev(
      "mcp-test",
      POD.web1,
      "Warning",
      "Unhealthy",
      'Readiness probe failed: Get "http://10.244.0.2:80/healthz": connection refused',
      1,
      600,
    ),
    eventsApi: true,
  },
  {
    ...ev(
      "mcp-test",
      WEB_DEPLOYMENT.name,
      "Normal",
      "ScalingReplicaSet",
      `Scaled up replica set ${WEB_DEPLOYMENT.replicaSet} from 0 to 2`,
      1,
      1000,
    ),
    involvedKind: "Deployment",
  },
  {
    ...ev(
      "mcp-test",
      WEB_DEPLOYMENT.replicaSet,
      "Warning",
      "FailedCreate",
      `Error creating: pods "${WEB_DEPLOYMENT.replicaSet}-abcde" is forbidden: exceeded quota`,
      2,
      960,
    ),
    involvedKind: "ReplicaSet",
  },
  {
    ...ev(
      "mcp-test",
      WEB_DEPLOYMENT.replicaSet,
      "Normal",
      "SuccessfulCreate",
      `Created pod: ${POD.web1}`,
      1,
      950,
    ),
    involvedKind: "ReplicaSet",
  },
  ev("team-a", POD.api, "Normal", "Started", "Started container api", 1, 600),
  ev("team-b", POD.billing, "Normal", "Started", "Started container billing", 1, 600),
];

function ev(
  namespace: string,
  pod: string,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
  count: number,
  ageSeconds: number,
): SeedEvent {
  return {
    namespace,
    name: `${pod}.${reason.toLowerCase()}`,
    type,
    reason,
    message,
    involvedPod: pod,
    count,
    ageSeconds,
  };
}

// ---------------------------------------------------------------- logs

export interface LogLine {
  /** RFC3339Nano (as a kubelet prints it with timestamps=true). */
  ts: string;
  /** Line content without the newline; may end in "\r" (CRLF logs), may contain ANSI escapes. */
  text: string;
}
export interface ContainerLogs {
  current: LogLine[];
  /** Log of the previous (terminated) instance; absent: `previous=true` gets a kubelet 400. */
  previous?: LogLine[];
}

const LOG_BASE_MS = Date.parse("2026-01-15T10:00:00Z");
/** RFC3339Nano for LOG_BASE + seconds (+ a few ns so the fraction is visible). */
export function logTs(seconds: number, nanos = 0): string {
  const d = new Date(LOG_BASE_MS + Math.floor(seconds) * 1000);
  const frac = String(nanos).padStart(9, "0").replace(/0+$/, "");
  return d.toISOString().slice(0, 19) + (frac === "" ? "" : "." + frac) + "Z";
}
function lines(startSec: number, texts: string[]): LogLine[] {
  return texts.map((text, i) => ({ ts: logTs(startSec + i, 123_456_789 + i), text }));
}

/** A line that appears exactly once, in mcp-test/web-1/app's current log. */
export const KNOWN_LOG_LINE = 'GET /api/orders/42 200 12ms ua="curl/8.5.0" marker=KNOWN-LINE-7f3a';

const webCurrent = lines(100, [
  "nginx: starting worker processes",
  "GET /healthz 200 1ms",
  "GET /api/orders 200 35ms",
  KNOWN_LOG_LINE,
  "POST /api/orders 201 48ms",
  "GET /healthz 200 1ms",
  "WARN upstream slow: /api/inventory took 1520ms",
  "GET /api/orders/43 404 3ms",
  "GET /healthz 200 1ms",
  "GET /metrics 200 4ms",
]);

export const ESC = "\u001b";
export const ANSI_LOG_PLAIN = [
  "INFO  server listening on :3000",
  "",
  "WARN  cache miss ratio 0.42",
  "ERROR request failed: ECONNRESET",
  "progress 100%",
  "",
  "INFO  done",
];

/** Logs by `${namespace}/${pod}/${container}`. Containers not listed here have no log file (404). */
export const LOGS: Record<string, ContainerLogs> = {
  [`mcp-test/${POD.web1}/app`]: {
    current: webCurrent,
    previous: lines(0, [
      "nginx: starting worker processes",
      "GET /api/report 200 2210ms",
      "allocating report buffer 512MiB",
      "PREVIOUS-INSTANCE: out of memory while rendering report",
    ]),
  },
  [`mcp-test/${POD.web1}/sidecar`]: {
    current: lines(100, [
      "[fluent-bit] started",
      "[fluent-bit] flushed 10 records",
      "[fluent-bit] flushed 3 records",
    ]),
  },
  [`mcp-test/${POD.web1}/init-config`]: {
    current: lines(90, ["rendering /etc/nginx/nginx.conf", "init done"]),
  },
  [`mcp-test/${POD.web2}/app`]: {
    current: lines(200, ["nginx: starting worker processes", "GET /healthz 200 1ms"]),
  },
  [`mcp-test/${POD.web2}/sidecar`]: { current: lines(200, ["[fluent-bit] started"]) },
  [`mcp-test/${POD.web2}/init-config`]: { current: lines(190, ["init done"]) },
  [`mcp-test/${POD.worker}/main`]: {
    current: lines(400, [
      "worker 4 booting",
      "connected to queue jobs",
      "processed job 1",
      "processed job 2",
    ]),
    previous: lines(300, [
      "worker 3 booting",
      "connected to queue jobs",
      "Traceback (most recent call last):",
      '  File "/app/worker.py", line 88, in run',
      "ValueError: bad payload in job 17",
    ]),
  },
  [`mcp-test/${POD.ansi}/app`]: {
    current: lines(500, [
      `${ESC}[32mINFO ${ESC}[0m server listening on :3000\r`,
      "\r",
      `${ESC}[33mWARN ${ESC}[0m cache miss ratio 0.42\r`,
      `${ESC}[1;31mERROR${ESC}[0m request failed: ECONNRESET\r`,
      `progress 10%\rprogress 100%${ESC}[K\r`,
      "",
      `${ESC}]0;window-title${ESC}\\${ESC}[32mINFO ${ESC}[0m done\r`,
    ]),
  },
  [`mcp-test/${POD.initDemo}/init-db`]: { current: lines(600, ["waiting for db", "db is up"]) },
  [`mcp-test/${POD.initDemo}/init-cache`]: { current: lines(605, ["warming cache", "cache warm"]) },
  [`mcp-test/${POD.initDemo}/app`]: { current: lines(610, ["nginx: starting worker processes"]) },
  [`mcp-test/${POD.debugTarget}/app`]: {
    current: lines(700, ["nginx: starting worker processes"]),
  },
  [`mcp-test/${POD.debugTarget}/debugger`]: {
    current: lines(760, ["/ # ps aux", "PID   USER     TIME  COMMAND"]),
  },
  [`mcp-test/${POD.crashloop}/app`]: {
    current: lines(800, ["starting flaky v0.3", "panic: config key 'db.url' missing"]),
    previous: lines(780, [
      "starting flaky v0.3",
      "panic: config key 'db.url' missing",
      "exit status 2",
    ]),
  },
  [`mcp-test/${POD.migrate}/migrate`]: {
    current: lines(50, ["Flyway 10", "Successfully applied 3 migrations to schema public"]),
  },
  [`team-a/${POD.api}/api`]: {
    current: lines(100, ["api listening on :8080", "GET /v1/items 200 5ms"]),
  },
  [`team-a/${POD.cache}/redis`]: { current: lines(100, ["Ready to accept connections tcp"]) },
  [`team-b/${POD.billing}/billing`]: { current: lines(100, ["billing up", "charged invoice 991"]) },
  [`mcp-test/${POD.solo}/app`]: { current: lines(100, ["solo pod (nometrics cluster)"]) },
};

/** Shared log of every bulk pod's container. */
export const BULK_LOG: LogLine[] = lines(1000, ["worker ready", "claimed shard", "heartbeat ok"]);

// ---------------------------------------------------------------- the big log

/** mcp-test/biglog/app: generated once (deterministically) and reused; see logs.ts. */
export const BIGLOG = {
  namespace: "mcp-test",
  pod: POD.biglog,
  container: "app",
  /** Lines in the file; at ~110 bytes a line this is > 100 MB. */
  lines: 1_000_000,
  /** Every MARKER_EVERY-th line (1-based index multiple) contains MARKER, no other line does. */
  markerEvery: 100_000,
  marker: "FATAL",
  /** First line's timestamp; each line is 10 ms after the previous one. */
  startMs: Date.parse("2026-01-10T00:00:00Z"),
  stepMs: 10,
  minBytes: 100 * 1024 * 1024,
  /** Bump when the generator changes, so a stale file is regenerated. */
  version: 1,
} as const;
export const BIGLOG_MARKER_COUNT = BIGLOG.lines / BIGLOG.markerEvery;

// ---------------------------------------------------------------- metrics

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Deterministic container usage served by the fake metrics server (metrics-server's units). */
export function containerUsage(
  namespace: string,
  pod: string,
  container: string,
): { cpu: string; memory: string } {
  const h = fnv1a(`${namespace}/${pod}/${container}`);
  const cpuNanos = 1_000_000 + (h % 500) * 1_000_000 + (h % 997); // 1m .. ~500m
  const memKi = 8_192 + (h >>> 8) % 524_288; // 8Mi .. ~520Mi
  return { cpu: `${cpuNanos}n`, memory: `${memKi}Ki` };
}

export function nodeUsage(node: string): { cpu: string; memory: string } {
  const h = fnv1a(node);
  return {
    cpu: `${1_000_000_000 + (h % 1000) * 1_000_000}n`,
    memory: `${2_097_152 + (h >>> 8) % 4_194_304}Ki`,
  };
}

/** Seconds before the metrics server's start that a pod's sample was "scraped" (varies per pod). */
export function metricsAgeSeconds(namespace: string, pod: string): number {
  return fnv1a(`age:${namespace}/${pod}`) % 600;
}

export const METRICS_WINDOW = "10.5s";
