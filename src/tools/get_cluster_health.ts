import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ok } from "../mcp/result.ts";
import type { HealthPath, KubeClient } from "../kube/types.ts";
import {
  type CheckList,
  type NodeHealth,
  nodeHealth,
  parseChecks,
  worstFirst,
} from "../diagnose/health.ts";
import { partFailure, type Unavailable } from "../diagnose/unavailable.ts";
import { KubeConnectionError } from "../kube/errors.ts";
import * as o from "./_output.ts";
import * as p from "./_shared.ts";

/** Wraps an error that must fail the whole call rather than one part. */
class Fatal extends Error {}
const fatal = (cause: unknown) => new Fatal("fatal", { cause });

/** Nodes shown in full; the rest are only counted. */
export const MAX_NODES_SHOWN = 20;
/** Nodes are read in pages of this size, so a large cluster never sits in memory whole. */
const NODE_PAGE = 500;

interface NodesPart {
  total: number;
  ready: number;
  shown: NodeHealth[];
}

async function readNodes(client: KubeClient, signal: AbortSignal): Promise<NodesPart> {
  const resource = await client.resolve("nodes", "v1", signal);
  const candidates: NodeHealth[] = [];
  let token: string | undefined;
  let ready = 0;
  let total = 0;
  do {
    const page = await client.list({ resource, limit: NODE_PAGE, continue: token }, signal);
    for (const n of page.items) {
      const h = nodeHealth(n);
      total++;
      if (h.ready) ready++;
      candidates.push(h);
    }
    // Only the worst nodes are shown: keep the candidates, not every node, between pages.
    if (candidates.length > MAX_NODES_SHOWN * 4) {
      candidates.splice(0, Infinity, ...worstFirst(candidates).slice(0, MAX_NODES_SHOWN));
    }
    token = page.continue;
  } while (token);
  return { total, ready, shown: worstFirst(candidates).slice(0, MAX_NODES_SHOWN) };
}

async function componentStatuses(client: KubeClient, signal: AbortSignal) {
  const resource = await client.resolve("componentstatuses", "v1", signal);
  const { items } = await client.list({ resource }, signal);
  return items.map((c) => {
    const cond = ((c.conditions ?? []) as {
      type?: string;
      status?: string;
      message?: string;
      error?: string;
    }[])
      .find((x) => x.type === "Healthy");
    const healthy = cond?.status === "True";
    return {
      name: String(c.metadata?.name ?? ""),
      status: healthy ? "Healthy" : "Unhealthy",
      ...(!healthy && (cond?.error || cond?.message)
        ? { message: cond?.error || cond?.message }
        : {}),
    };
  });
}

export const getClusterHealth = defineTool({
  name: "get_cluster_health",
  title: "Check cluster health",
  description: "Cluster health: status is unhealthy when the API server is not ready, degraded " +
    "when some nodes are not Ready; the failed readyz and livez checks, componentstatuses, and " +
    `the worst ${MAX_NODES_SHOWN} nodes with their bad conditions. Parts the user may not read ` +
    "are in unavailable, with the reason.",
  input: { context: p.context },
  output: o.result({
    status: z.enum(["healthy", "degraded", "unhealthy"]),
    summary: z.string(),
    components: o.object,
    nodes: z.array(o.object).optional(),
    node_counts: o.object.optional(),
    unavailable: o.unavailable,
  }),
  annotations: READS_CLUSTER,
  async run(args, { kube, signal }) {
    const client = await kube.client(args.context);
    const unavailable: Unavailable[] = [];
    const part = <T>(name: string, read: Promise<T>) =>
      read.catch((e) => {
        if (e instanceof Fatal) throw e.cause;
        unavailable.push(partFailure(name, e));
        return undefined;
      });
    // The API server must answer /readyz: if it cannot even do that (a connection failure or
    // a timeout), the call fails as a whole instead of guessing. /livez is an ordinary part.
    const checks = (path: HealthPath) => {
      const read = client.getText(path, signal).then((r) => parseChecks(r.text, r.status === 200));
      return part(
        path.slice(1),
        path === "/readyz"
          ? read.catch((e) => Promise.reject(e instanceof KubeConnectionError ? fatal(e) : e))
          : read,
      );
    };
    const [readyz, livez, nodes, statuses] = await Promise.all([
      checks("/readyz"),
      checks("/livez"),
      part("nodes", readNodes(client, signal)),
      part("componentstatuses", componentStatuses(client, signal)),
    ]);
    // Without /readyz the API server still answered the other requests: count that as ready.
    const apiReady = readyz ? readyz.ok : true;
    const notReady = nodes ? nodes.total - nodes.ready : 0;
    const status = !apiReady ? "unhealthy" : notReady > 0 ? "degraded" : "healthy";
    return ok({
      status,
      summary: summary(apiReady, readyz, nodes, notReady),
      components: {
        ...(readyz ? { readyz: endpoint(readyz) } : {}),
        ...(livez ? { livez: endpoint(livez) } : {}),
        ...(statuses ? { componentstatuses: statuses } : {}),
      },
      ...(nodes
        ? {
          nodes: nodes.shown,
          node_counts: {
            total: nodes.total,
            ready: nodes.ready,
            not_ready: notReady,
            shown: nodes.shown.length,
          },
        }
        : {}),
      ...(unavailable.length ? { unavailable } : {}),
    });
  },
});

/** The checks that did not pass in full; the passing ones (dozens, all "ok") only counted. */
function endpoint(c: CheckList) {
  return {
    status: c.ok ? "ok" : "failed",
    passed: c.checks.filter((x) => x.status === "ok").length,
    checks: c.checks.filter((x) => x.status !== "ok"),
  };
}

function summary(
  apiReady: boolean,
  readyz: CheckList | undefined,
  nodes: NodesPart | undefined,
  notReady: number,
): string {
  const failed = readyz?.checks.filter((c) => c.status === "failed").map((c) => c.name) ?? [];
  const api = !readyz
    ? "API server answers (its readyz checks could not be read)"
    : apiReady
    ? "API server ready"
    : `API server not ready (failed: ${failed.join(", ") || "see readyz"})`;
  const n = !nodes
    ? "nodes could not be read, so the status covers the API server only"
    : notReady
    ? `${notReady} of ${nodes.total} nodes not Ready`
    : `all ${nodes.total} nodes Ready`;
  return `${api}; ${n}.`;
}
