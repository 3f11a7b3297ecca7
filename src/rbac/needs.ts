// What each tool needs from Kubernetes RBAC: the one source of --print-rbac and of the Helm
// chart's ClusterRole (scripts/helm/role_template.ts writes the chart's template from it), so
// the two never drift. Pure data.
//
// "Every type except Secrets" cannot be said in RBAC: it has no deny rules, and a wildcard
// (apiGroups ["*"] or resources ["*"] on the core group) always takes in Secrets. So the types
// are named one by one: every built-in type that answers get or list (Kubernetes 1.34, checked
// against the test cluster's discovery by tests/rbac/print_rbac_test.ts). Custom resources are
// not built in: grant their groups with the chart's rbac.extraRules (or a rule of your own).

/** The generic readers: any type, by name. */
export const GENERIC_TOOLS = ["list_resources", "get_resource", "describe_resource"] as const;
/** The tools that give a Secret's value to the user; they read Secrets themselves. */
export const SECRET_TOOL_NAMES = ["save_secret_to_file", "get_secret_encrypted"] as const;

/** Built-in readable types, per API group ("" is core), Secrets apart. */
export const BUILT_IN_TYPES: Readonly<Record<string, readonly string[]>> = {
  "": [
    "componentstatuses",
    "configmaps",
    "endpoints",
    "events",
    "limitranges",
    "namespaces",
    "nodes",
    "persistentvolumeclaims",
    "persistentvolumes",
    "pods",
    "podtemplates",
    "replicationcontrollers",
    "resourcequotas",
    "serviceaccounts",
    "services",
  ],
  "admissionregistration.k8s.io": [
    "mutatingwebhookconfigurations",
    "validatingadmissionpolicies",
    "validatingadmissionpolicybindings",
    "validatingwebhookconfigurations",
  ],
  "apiextensions.k8s.io": ["customresourcedefinitions"],
  "apiregistration.k8s.io": ["apiservices"],
  apps: ["controllerrevisions", "daemonsets", "deployments", "replicasets", "statefulsets"],
  autoscaling: ["horizontalpodautoscalers"],
  batch: ["cronjobs", "jobs"],
  "certificates.k8s.io": ["certificatesigningrequests"],
  "coordination.k8s.io": ["leases"],
  "discovery.k8s.io": ["endpointslices"],
  "events.k8s.io": ["events"],
  "flowcontrol.apiserver.k8s.io": ["flowschemas", "prioritylevelconfigurations"],
  "metrics.k8s.io": ["nodes", "pods"],
  "networking.k8s.io": [
    "ingressclasses",
    "ingresses",
    "ipaddresses",
    "networkpolicies",
    "servicecidrs",
  ],
  "node.k8s.io": ["runtimeclasses"],
  policy: ["poddisruptionbudgets"],
  "rbac.authorization.k8s.io": ["clusterrolebindings", "clusterroles", "rolebindings", "roles"],
  "resource.k8s.io": [
    "deviceclasses",
    "resourceclaims",
    "resourceclaimtemplates",
    "resourceslices",
  ],
  "scheduling.k8s.io": ["priorityclasses"],
  "storage.k8s.io": [
    "csidrivers",
    "csinodes",
    "csistoragecapacities",
    "storageclasses",
    "volumeattachments",
    "volumeattributesclasses",
  ],
};

export const READ = ["get", "list", "watch"] as const;

/** One resource (or subresource) some tools need, and when. */
export interface Need {
  group: string;
  resource: string;
  verbs: readonly string[];
  /** Granted when any of these tools is enabled ... */
  tools: readonly string[];
  /** ... or when port forwarding is on. */
  portForward?: true;
  /** Secrets: only when their values may be read (insecure mode, or a secret tool is on). */
  secret?: true;
}

/** Extra tools, beyond the generic readers, that read a built-in type. */
const ALSO: Readonly<Record<string, readonly string[]>> = {
  "/pods": ["get_logs", "get_pod_containers"],
  "/nodes": ["get_cluster_health"],
  "/componentstatuses": ["get_cluster_health"],
  "metrics.k8s.io/nodes": ["get_node_metrics"],
  "metrics.k8s.io/pods": ["get_pod_metrics"],
};

/** Every need, in a stable order: the catalogue, then Secrets and the pod subresources. */
export const NEEDS: readonly Need[] = [
  ...Object.entries(BUILT_IN_TYPES).flatMap(([group, names]) =>
    names.map((resource): Need => ({
      group,
      resource,
      verbs: READ,
      tools: [...GENERIC_TOOLS, ...(ALSO[`${group}/${resource}`] ?? [])],
      ...(group === "" && resource === "pods" ? { portForward: true as const } : {}),
    }))
  ),
  {
    group: "",
    resource: "secrets",
    verbs: READ,
    tools: [...GENERIC_TOOLS, ...SECRET_TOOL_NAMES],
    secret: true,
  },
  { group: "", resource: "pods/log", verbs: ["get"], tools: ["get_logs"] },
  // Our tunnel is SPDY, a POST: create only. `get` would let any WebSocket client tunnel
  // (kubectl >= 1.31's dial, which RBAC checks as get; measured in docs/port-forwarding.md).
  {
    group: "",
    resource: "pods/portforward",
    verbs: ["create"],
    tools: [],
    portForward: true,
  },
];
