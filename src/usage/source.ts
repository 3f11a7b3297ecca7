// Finds metrics.k8s.io on a cluster and explains plainly when it is missing or broken.

import type { ApiResource, KubeClient, KubeObject } from "../kube/types.ts";
import { KubeApiError } from "../kube/errors.ts";
import { ToolError } from "../errors.ts";

export const METRICS_GROUP = "metrics.k8s.io";
const INSTALL = "Install metrics-server (kubectl apply -f https://github.com/kubernetes-sigs/" +
  "metrics-server/releases/latest/download/components.yaml) or ask the cluster admin to.";

export async function metricsResource(
  client: KubeClient,
  name: "nodes" | "pods",
): Promise<ApiResource> {
  const { resources, unavailable } = await client.apiResources();
  const found = resources.find((r) => r.group === METRICS_GROUP && r.name === name && r.preferred);
  if (found) return found;
  if (unavailable.some((gv) => gv.startsWith(`${METRICS_GROUP}/`))) {
    throw new ToolError(
      `the metrics API (${METRICS_GROUP}) is registered but not answering: metrics-server is ` +
        `probably not running or not ready. Check its pod in kube-system.`,
    );
  }
  if (resources.some((r) => r.group === METRICS_GROUP)) {
    throw new ToolError(`access to ${name}.${METRICS_GROUP} is disabled by configuration`);
  }
  throw new ToolError(
    `this cluster does not serve the metrics API (${METRICS_GROUP}): metrics-server is not ` +
      `installed. ${INSTALL}`,
  );
}

/** A missing node or pod is "not found", never "metrics-server unavailable". */
export function notFound(e: unknown, what: string): unknown {
  if (e instanceof KubeApiError && e.status === 404) {
    return new ToolError(
      `no metrics for ${what}: it does not exist, or it started too recently to have metrics. ` +
        `list_resources shows what exists.`,
    );
  }
  return e;
}

/**
 * A single metrics object as the Go server shows it: its typed client drops the top-level
 * kind/apiVersion of what it GETs (list items keep theirs: see listItem).
 */
export function trim(m: KubeObject): KubeObject {
  const { kind: _k, apiVersion: _a, ...rest } = m;
  const { managedFields: _m, ...metadata } = rest.metadata ?? {};
  return { ...rest, metadata };
}

/** A list item keeps the kind/apiVersion the API server sent, as in the Go server's lists. */
export function listItem(m: KubeObject): KubeObject {
  const { managedFields: _m, ...metadata } = m.metadata ?? {};
  return { ...m, metadata };
}
