// Which container kubectl logs reads when none is named: the one the pod's
// kubectl.kubernetes.io/default-container annotation names (when the pod has it), else the first
// regular container. Pure; also tells which others the pod has, whether the chosen one
// restarted (then its previous run has a log too) and how that last run ended.

import type { KubeObject } from "../kube/types.ts";

export const DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container";

export interface ContainerChoice {
  container: string;
  /** The pod's other regular containers, in spec order. */
  others: string[];
  /** restartCount of the chosen container (0 when the pod reports none). */
  restarts: number;
  /** How its last run ended, as kubectl describe words it: "OOMKilled, exit code 137". */
  lastRun?: string;
}

interface ContainerStatus {
  name?: string;
  restartCount?: number;
  lastState?: { terminated?: { reason?: string; exitCode?: number; signal?: number } };
}

/** lastState.terminated in a few words, or undefined when the container never ended. */
function lastRun(status: ContainerStatus | undefined): string | undefined {
  const ended = status?.lastState?.terminated;
  if (!ended) return undefined;
  const parts = [
    ended.reason,
    typeof ended.exitCode === "number" ? `exit code ${ended.exitCode}` : undefined,
    ended.signal ? `signal ${ended.signal}` : undefined,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : undefined;
}

export function defaultContainer(pod: KubeObject): ContainerChoice | undefined {
  const spec = (pod.spec ?? {}) as { containers?: { name?: string }[] };
  const names = (spec.containers ?? []).map((c) => String(c.name ?? "")).filter(Boolean);
  const annotations = (pod.metadata?.annotations ?? {}) as Record<string, unknown>;
  const named = annotations[DEFAULT_CONTAINER_ANNOTATION];
  const container = typeof named === "string" && names.includes(named) ? named : names[0];
  if (!container) return undefined;
  const status = (pod.status ?? {}) as { containerStatuses?: ContainerStatus[] };
  const own = status.containerStatuses?.find((s) => s.name === container);
  const ended = lastRun(own);
  return {
    container,
    others: names.filter((n) => n !== container),
    restarts: typeof own?.restartCount === "number" ? own.restartCount : 0,
    ...(ended ? { lastRun: ended } : {}),
  };
}
