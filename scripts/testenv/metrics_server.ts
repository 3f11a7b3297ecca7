// The fake metrics-server: an HTTPS server on 127.0.0.1 behind the real kube-apiserver's
// aggregator (APIService v1beta1.metrics.k8s.io → ExternalName Service 127.0.0.1 → this port).
// Serves NodeMetrics and PodMetrics for every pod in the pod index that metrics-server would report.
// Run as its own process: deno run --allow-read --allow-net metrics_server.ts --port P --cert C --key K --index F

import { parseArgs } from "node:util";
import { podIndexLoader } from "./kubelet.ts";
import { parseLabelSelector } from "./label_selector.ts";
import type { PodIndexEntry } from "./logs.ts";
import { containerUsage, METRICS_WINDOW, metricsAgeSeconds, nodeUsage } from "./seed_data.ts";

const GV = "metrics.k8s.io/v1beta1";
const PREFIX = "/apis/metrics.k8s.io/v1beta1";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

function status(code: number, reason: string, message: string, details?: unknown): Response {
  return json(code, {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  });
}

function notFound(resource: "pods" | "nodes", name: string): Response {
  const what = resource === "pods" ? "podmetrics" : "nodemetrics";
  return status(404, "NotFound", `${what}.metrics.k8s.io "${name}" not found`, {
    name,
    group: "metrics.k8s.io",
    kind: resource,
  });
}

const RESOURCE_LIST = {
  kind: "APIResourceList",
  apiVersion: "v1",
  groupVersion: GV,
  resources: [
    {
      name: "nodes",
      singularName: "",
      namespaced: false,
      kind: "NodeMetrics",
      verbs: ["get", "list"],
    },
    {
      name: "pods",
      singularName: "",
      namespaced: true,
      kind: "PodMetrics",
      verbs: ["get", "list"],
    },
  ],
};

function iso(ms: number): string {
  return new Date(ms - (ms % 1000)).toISOString().replace(".000Z", "Z");
}

export function metricsHandler(
  loadPods: () => Promise<Map<string, PodIndexEntry>>,
  startedMs = Date.now(),
): (req: Request) => Promise<Response> {
  const podMetrics = (p: PodIndexEntry) => ({
    kind: "PodMetrics",
    apiVersion: GV,
    metadata: {
      name: p.name,
      namespace: p.namespace,
      creationTimestamp: iso(Date.now()),
      labels: p.labels,
    },
    timestamp: iso(startedMs - metricsAgeSeconds(p.namespace, p.name) * 1000),
    window: METRICS_WINDOW,
    containers: p.containers.map((c) => ({
      name: c,
      usage: containerUsage(p.namespace, p.name, c),
    })),
  });
  const nodeMetrics = (n: string) => ({
    kind: "NodeMetrics",
    apiVersion: GV,
    metadata: {
      name: n,
      creationTimestamp: iso(Date.now()),
      labels: { "kubernetes.io/hostname": n, "kubernetes.io/os": "linux" },
    },
    timestamp: iso(startedMs - metricsAgeSeconds("", n) * 1000),
    window: METRICS_WINDOW,
    usage: nodeUsage(n),
  });

  return async (req: Request): Promise<Response> => {
    const url = new URL(req.url);
    const path = url.pathname.replace(/\/$/, "");
    if (["/healthz", "/readyz", "/livez"].includes(path)) {
      return new Response("ok", { headers: { "content-type": "text/plain" } });
    }
    if (req.method !== "GET") return status(405, "MethodNotAllowed", "method not allowed");
    if (path === PREFIX) return json(200, RESOURCE_LIST);
    if (!path.startsWith(PREFIX + "/")) {
      return status(404, "NotFound", "the server could not find the requested resource");
    }
    let match;
    try {
      match = parseLabelSelector(url.searchParams.get("labelSelector"));
    } catch (e) {
      return status(400, "BadRequest", (e as Error).message);
    }
    const pods = [...(await loadPods()).values()].filter((p) => p.metrics);
    const nodes = [...new Set(pods.map((p) => p.node).filter((n): n is string => n !== null))]
      .sort();
    const rest = path.slice(PREFIX.length + 1).split("/").map(decodeURIComponent);

    if (rest[0] === "nodes" && rest.length <= 2) {
      const all = nodes.map(nodeMetrics);
      if (rest.length === 2) {
        const n = all.find((x) => x.metadata.name === rest[1]);
        return n ? json(200, n) : notFound("nodes", rest[1]!);
      }
      return json(200, {
        kind: "NodeMetricsList",
        apiVersion: GV,
        metadata: {},
        items: all.filter((n) => match(n.metadata.labels)),
      });
    }
    let ns: string | undefined;
    let name: string | undefined;
    if (rest[0] === "pods" && rest.length === 1) {
      // all namespaces
    } else if (
      rest[0] === "namespaces" && rest[2] === "pods" && (rest.length === 3 || rest.length === 4)
    ) {
      ns = rest[1];
      name = rest[3];
    } else {
      return status(404, "NotFound", "the server could not find the requested resource");
    }
    if (name !== undefined) {
      const p = pods.find((x) => x.namespace === ns && x.name === name);
      return p ? json(200, podMetrics(p)) : notFound("pods", name);
    }
    const items = pods.filter((p) => (ns === undefined || p.namespace === ns) && match(p.labels))
      .map(podMetrics);
    return json(200, { kind: "PodMetricsList", apiVersion: GV, metadata: {}, items });
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      port: { type: "string" },
      cert: { type: "string" },
      key: { type: "string" },
      index: { type: "string" },
    },
  });
  Deno.serve({
    hostname: "127.0.0.1",
    port: Number(values.port),
    cert: await Deno.readTextFile(values.cert!),
    key: await Deno.readTextFile(values.key!),
    onListen: ({ port }) => {
      // deno-lint-ignore no-console
      console.error(`fake metrics-server listening on https://127.0.0.1:${port}`);
    },
  }, metricsHandler(podIndexLoader(values.index!)));
}
