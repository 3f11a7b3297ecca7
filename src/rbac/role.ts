// --print-rbac: the least-privilege ClusterRole for this configuration (what the enabled tools
// need, from needs.ts), with a ServiceAccount and a ClusterRoleBinding to apply beside it.

import { type Need, NEEDS, SECRET_TOOL_NAMES } from "./needs.ts";

export interface RoleOptions {
  /** Names of the tools this server offers (after --disabled-tools and the secret mode). */
  enabledTools: ReadonlySet<string>;
  /** --disabled-resources: "name" (any group) or "group/version/resource" (core is "core"). */
  disabledResources: readonly string[];
  /** Insecure mode: the generic readers return Secret values. */
  insecureSecrets: boolean;
  portForward: boolean;
}

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** Whether a --disabled-resources spec names this resource (its subresources go with it). */
export function blocks(spec: string, need: Pick<Need, "group" | "resource">): boolean {
  const base = need.resource.split("/")[0]!;
  const parts = spec.trim().toLowerCase().split("/");
  if (parts.length === 1) return parts[0] === base && need.group !== "metrics.k8s.io";
  if (parts.length !== 3) return false;
  const group = parts[0] === "core" || parts[0] === "" ? "" : parts[0];
  return group === need.group && parts[2] === base;
}

export function granted(need: Need, o: RoleOptions): boolean {
  const wanted = need.tools.some((t) => o.enabledTools.has(t)) ||
    (!!need.portForward && o.portForward);
  if (!wanted) return false;
  if (need.secret) {
    const secretTool = SECRET_TOOL_NAMES.some((t) => o.enabledTools.has(t));
    if (!o.insecureSecrets && !secretTool) return false;
  }
  // --disabled-resources governs what the tools read; port forwarding is not a read and, as on
  // the Go server, `--disabled-resources=pods` leaves it on (src/tools/start_port_forward.ts).
  if (need.resource === "pods/portforward") return true;
  return !o.disabledResources.some((spec) => blocks(spec, need));
}

/** The rules: one per API group and verb set, in needs.ts order. */
export function roleRules(o: RoleOptions): PolicyRule[] {
  const rules = new Map<string, PolicyRule>();
  for (const need of NEEDS) {
    if (!granted(need, o)) continue;
    const key = `${need.group} ${need.verbs.join(",")}`;
    const rule = rules.get(key) ??
      { apiGroups: [need.group], resources: [], verbs: [...need.verbs] };
    rule.resources.push(need.resource);
    rules.set(key, rule);
  }
  return [...rules.values()];
}

export const RBAC_NAME = "mcp-kubernetes-ro";

/** ServiceAccount, ClusterRole and ClusterRoleBinding, as Kubernetes objects. */
export function rbacObjects(o: RoleOptions, namespace: string, name = RBAC_NAME): object[] {
  const labels = { "app.kubernetes.io/name": "mcp-kubernetes-ro" };
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace, labels } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name, labels },
      rules: roleRules(o),
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name, labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name },
      subjects: [{ kind: "ServiceAccount", name, namespace }],
    },
  ];
}
