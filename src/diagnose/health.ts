// Pure pieces of the cluster health answer: the API server's verbose check lists and a node's
// conditions reduced to what is wrong.

import type { KubeObject } from "../kube/types.ts";

export interface Check {
  name: string;
  status: "ok" | "failed" | "excluded";
  message?: string;
}

export interface CheckList {
  /** The endpoint's verdict: its HTTP status was 200. */
  ok: boolean;
  checks: Check[];
}

const LINE = /^\[([+-])\](\S+)\s+(ok|excluded|failed)(?::\s*(.*))?$/;

/** Parses `[+]ping ok` / `[-]etcd failed: reason withheld` lines; other lines are ignored. */
export function parseChecks(text: string, ok: boolean): CheckList {
  const checks: Check[] = [];
  for (const line of text.split("\n")) {
    const m = LINE.exec(line.trim());
    if (!m) continue;
    const status = m[3] as Check["status"];
    checks.push({ name: m[2]!, status, ...(status !== "ok" && m[4] ? { message: m[4] } : {}) });
  }
  return { ok, checks };
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface NodeHealth {
  name: string;
  ready: boolean;
  /** Conditions not in their healthy state (Ready not True; any other condition not False). */
  conditions: Condition[];
  /** Types of the conditions that are in their healthy state. */
  ok_conditions: string[];
  unschedulable?: true;
}

export function isHealthy(c: Condition): boolean {
  return c.type === "Ready" ? c.status === "True" : c.status === "False";
}

export function nodeHealth(node: KubeObject): NodeHealth {
  const status = (node.status ?? {}) as { conditions?: Condition[] };
  const spec = (node.spec ?? {}) as { unschedulable?: boolean };
  const conditions = status.conditions ?? [];
  return {
    name: String(node.metadata?.name ?? ""),
    ready: conditions.some((c) => c.type === "Ready" && c.status === "True"),
    conditions: conditions.filter((c) => !isHealthy(c)).map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
      ...(c.lastTransitionTime ? { lastTransitionTime: c.lastTransitionTime } : {}),
    })),
    ok_conditions: conditions.filter(isHealthy).map((c) => String(c.type)),
    ...(spec.unschedulable ? { unschedulable: true as const } : {}),
  };
}

/** Nodes with problems first (not Ready, then any bad condition or cordoned), then by name. */
export function worstFirst(nodes: NodeHealth[]): NodeHealth[] {
  const rank = (n: NodeHealth) => (!n.ready ? 0 : n.conditions.length || n.unschedulable ? 1 : 2);
  return [...nodes].sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : 1));
}
