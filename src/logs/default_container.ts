// Which container kubectl logs reads when none is named: the one the pod's
// kubectl.kubernetes.io/default-container annotation names (when the pod has it), else the first
// regular container. Pure; also tells which others the pod has and whether the chosen one
// restarted (then its previous run has a log too).

import type { KubeObject } from "../kube/types.ts";

export const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

export interface ContainerChoice {
  container: string;
  /** The pod's other regular containers, in spec order. */
  others: string[];
  /** restartCount of the chosen container (0 when the pod reports none). */
  restarts: number;
}

export function defaultContainer(pod: KubeObject): ContainerChoice | undefined {
  const spec = (pod.spec ?? {}) as { containers?: { name?: string }[] };
  const names = (spec.containers ?? []).map((c) => String(c.name ?? "")).filter(Boolean);
  const annotations = (pod.metadata?.annotations ?? {}) as Record<string, unknown>;
  const named = annotations[DEFAULT_CONTAINER_ANNOTATION];
  const container = typeof named === "string" && names.includes(named) ? named : names[0];
  if (!container) return undefined;
  const status = (pod.status ?? {}) as {
    containerStatuses?: { name?: string; restartCount?: number }[];
  };
  const restarts = status.containerStatuses?.find((s) => s.name === container)?.restartCount;
  return {
    container,
    others: names.filter((n) => n !== container),
    restarts: typeof restarts === "number" ? restarts : 0,
  };
}
