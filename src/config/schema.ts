// The configuration's shape, its defaults, and the single tables of flags and environment
// variables that the parser, the resolver and --help all read. Pure data.

export const TRANSPORTS = ["stdio", "sse", "streamable-http"] as const;
export type TransportName = typeof TRANSPORTS[number];

/**
 * How Secret values reach the user: written to a local file (file), encrypted to the user's key
 * (encrypted), or returned as stored (insecure). In the first two the model never sees a value.
 */
export const SECRET_ACCESS_MODES = ["file", "encrypted", "insecure"] as const;
export type SecretAccess = typeof SECRET_ACCESS_MODES[number];

export interface Config {
  /** Kubeconfig files in precedence order; several are merged as kubectl does. */
  kubeconfigPaths: string[];
  /** Where kubeconfigPaths came from; "default" may fall back to in-cluster credentials. */
  kubeconfigSource: "flag" | "KUBECONFIG" | "default";
  /** KUBERNETES_SERVICE_HOST is set: with no kubeconfig file, use the pod's service account. */
  inCluster: boolean;
  /** Default namespace from --namespace; the context's namespace applies when undefined. */
  namespace: string | undefined;
  transport: TransportName;
  port: number;
  host: string;
  /** Extra Host header names accepted by the HTTP transports (localhost names always are). */
  allowedHosts: string[];
  /** Lower-cased tool names to leave unregistered. */
  disabledTools: string[];
  /** Which source the disabled tools came from, for the start-up log. */
  disabledToolsSource: string | undefined;
  /** Resource names or group/version/resource triples to refuse. */
  disabledResources: string[];
  alwaysStart: boolean;
  requestTimeoutMs: number;
  /** Whose identity reaches Kubernetes: the kubeconfig's user, or each HTTP caller's token. */
  auth: AuthModeName;
  /** Passthrough: how long an idle caller's client is kept, and how many are kept at most. */
  clientCacheTtlMs: number;
  clientCacheSize: number;
  /** Client-side limits per API server: token bucket (0 QPS = unlimited) and in-flight bound. */
  qps: number;
  burst: number;
  maxInFlight: number;
  /** file on stdio, encrypted on the HTTP transports; insecure only when asked for. */
  secretAccess: SecretAccess;
  /** Where save_secret_to_file makes its folders: $TMPDIR, else /tmp. */
  tempDir: string;
  /** The memory the server keeps its heap and held answers under (src/budget/plan.ts). */
  memoryBudgetBytes: number;
  /** Where the budget came from, for the start-up log. */
  memoryBudgetSource: "--memory-budget" | "MCP_KUBERNETES_RO_MEMORY_BUDGET" | "cgroup" | "default";
  /** Tool calls that run at once; more wait in a bounded queue (HTTP) or a queue (stdio). */
  maxConcurrentCalls: number;
  /** --enable-port-forwarding: the three port-forward tools are registered. */
  portForwarding: boolean;
  /** Most port-forward sessions open at once. */
  portForwardMaxSessions: number;
  /** A session with no traffic (and no new connection) for this long ends (0: never). */
  portForwardIdleTimeoutMs: number;
}

export const AUTH_MODES = ["kubeconfig", "passthrough"] as const;
export type AuthModeName = typeof AUTH_MODES[number];

export type Action = "serve" | "help" | "version" | "print-rbac";

export const DEFAULTS = {
  transport: "stdio",
  port: 8080,
  host: "127.0.0.1",
  requestTimeout: "30s",
  auth: "kubeconfig",
  clientCacheTtl: "5m",
  clientCacheSize: 100,
  qps: 20,
  burst: 30,
  maxInFlight: 64,
  portForwardMaxSessions: 10,
  portForwardIdleTimeout: "30m",
} as const;

export interface FlagSpec {
  name: string;
  kind: "string" | "list" | "boolean";
  value?: string;
  help: string;
  default?: string;
  env?: string[];
}

export const FLAGS: readonly FlagSpec[] = [
  {
    name: "kubeconfig",
    kind: "string",
    value: "PATH",
    help: "Kubeconfig file, or several joined by the OS path separator (merged as kubectl does)",
    default: "$KUBECONFIG, else ~/.kube/config, else in-cluster",
    env: ["KUBECONFIG"],
  },
  {
    name: "namespace",
    kind: "string",
    value: "NAME",
    help: "Default namespace for namespaced calls that omit one",
    default: 'the context\'s namespace, else "default"',
  },
  {
    name: "transport",
    kind: "string",
    value: "NAME",
    help: `One of ${TRANSPORTS.join(", ")}`,
    default: DEFAULTS.transport,
  },
  {
    name: "port",
    kind: "string",
    value: "N",
    help: "Port for the sse and streamable-http transports (1-65535)",
    default: String(DEFAULTS.port),
  },
  {
    name: "host",
    kind: "string",
    value: "ADDR",
    help: "Bind address for the HTTP transports; anything but loopback is logged as a warning",
    default: DEFAULTS.host,
  },
  {
    name: "allowed-hosts",
    kind: "list",
    value: "NAMES",
    help: "Extra Host header names the HTTP transports accept (localhost names always are)",
    env: ["MCP_KUBERNETES_RO_ALLOWED_HOSTS"],
  },
  {
    name: "disabled-tools",
    kind: "list",
    value: "NAMES",
    help: "Tools not to register; the first non-empty of flag, then env vars, wins whole",
    env: ["MCP_KUBERNETES_RO_DISABLED_TOOLS", "DISABLED_TOOLS"],
  },
  {
    name: "disabled-resources",
    kind: "list",
    value: "SPECS",
    help: "Resource types to refuse: names (secrets) or group/version/resource (core/v1/secrets)",
    env: ["MCP_KUBERNETES_RO_DISABLED_RESOURCES"],
  },
  {
    name: "always-start",
    kind: "boolean",
    help: "Skip the start-up connectivity check; cluster problems become tool errors",
    default: "false",
    env: ["MCP_KUBERNETES_RO_ALWAYS_START"],
  },
  {
    name: "request-timeout",
    kind: "string",
    value: "DURATION",
    help: "Timeout of each Kubernetes request (30s, 1m, 2m30s)",
    default: DEFAULTS.requestTimeout,
  },
  {
    name: "auth",
    kind: "string",
    value: "MODE",
    help: "kubeconfig: every caller acts as the kubeconfig's user; passthrough (HTTP only): " +
      "each request's Authorization: Bearer token is the identity on the cluster",
    default: DEFAULTS.auth,
    env: ["MCP_KUBERNETES_RO_AUTH"],
  },
  {
    name: "client-cache-ttl",
    kind: "string",
    value: "DURATION",
    help: "Passthrough: drop a caller's cached client after this long unused",
    default: DEFAULTS.clientCacheTtl,
    env: ["MCP_KUBERNETES_RO_CLIENT_CACHE_TTL"],
  },
  {
    name: "client-cache-size",
    kind: "string",
    value: "N",
    help: "Passthrough: most callers' clients kept at once; the least recently used goes first",
    default: String(DEFAULTS.clientCacheSize),
    env: ["MCP_KUBERNETES_RO_CLIENT_CACHE_SIZE"],
  },
  {
    name: "qps",
    kind: "string",
    value: "N",
    help: "Requests per second to each API server, on average (0: no limit); callers wait",
    default: `${DEFAULTS.qps} (sse, streamable-http); 0 (stdio)`,
    env: ["MCP_KUBERNETES_RO_QPS"],
  },
  {
    name: "burst",
    kind: "string",
    value: "N",
    help: "Requests to each API server that may go back to back before --qps paces them",
    default: String(DEFAULTS.burst),
    env: ["MCP_KUBERNETES_RO_BURST"],
  },
  {
    name: "max-in-flight",
    kind: "string",
    value: "N",
    help: "Requests to each API server waiting for an answer at once; more wait their turn",
    default: String(DEFAULTS.maxInFlight),
    env: ["MCP_KUBERNETES_RO_MAX_IN_FLIGHT"],
  },
  {
    name: "memory-budget",
    kind: "string",
    value: "SIZE",
    help: "Memory the server keeps its heap and held answers under (288Mi, 1Gi); sizes the " +
      "concurrent calls, their queue and the answers held for slow readers",
    default: "over HTTP, 3/4 of the container's memory limit (cgroup); else 288Mi",
    env: ["MCP_KUBERNETES_RO_MEMORY_BUDGET"],
  },
  {
    name: "max-concurrent-calls",
    kind: "string",
    value: "N",
    help: "Tool calls that run at once; more wait in a bounded queue, past which HTTP " +
      "answers 429 (stdio only queues)",
    default: "sized to --memory-budget (28 for 288Mi)",
    env: ["MCP_KUBERNETES_RO_MAX_CONCURRENT_CALLS"],
  },
  {
    name: "encrypted-secret-access",
    kind: "boolean",
    help: "Offer get_secret_encrypted (a Secret value encrypted to the user's RSA key) instead " +
      "of save_secret_to_file; Secret values are never shown to the model",
    default: "false on stdio, true on sse and streamable-http",
    env: ["MCP_KUBERNETES_RO_ENCRYPTED_SECRET_ACCESS"],
  },
  {
    name: "insecure-secret-access",
    kind: "boolean",
    help: "Return Secret values to the model as stored (base64), as before; no secret tool. " +
      "Wins over --encrypted-secret-access",
    default: "false",
    env: ["MCP_KUBERNETES_RO_INSECURE_SECRET_ACCESS"],
  },
  {
    name: "enable-port-forwarding",
    kind: "boolean",
    help: "Register start_port_forward, stop_port_forward and list_port_forwards (tunnels to " +
      "pods and Services; a create on pods/portforward)",
    default: "false",
    env: ["MCP_KUBERNETES_RO_ENABLE_PORT_FORWARDING", "ENABLE_PORT_FORWARDING"],
  },
  {
    name: "port-forward-max-sessions",
    kind: "string",
    value: "N",
    help: "Port forwarding: most tunnels open at once",
    default: String(DEFAULTS.portForwardMaxSessions),
    env: ["MCP_KUBERNETES_RO_PORT_FORWARD_MAX_SESSIONS"],
  },
  {
    name: "port-forward-idle-timeout",
    kind: "string",
    value: "DURATION",
    help: "Port forwarding: close a tunnel with no traffic for this long (0: never)",
    default: DEFAULTS.portForwardIdleTimeout,
    env: ["MCP_KUBERNETES_RO_PORT_FORWARD_IDLE_TIMEOUT"],
  },
  {
    name: "print-rbac",
    kind: "boolean",
    help: "Print the least-privilege ClusterRole, ServiceAccount and binding for the enabled " +
      "tools (honours --disabled-tools, --disabled-resources, the secret mode) and exit",
  },
  {
    name: "rbac-namespace",
    kind: "string",
    value: "NAME",
    help: "Namespace of the ServiceAccount that --print-rbac prints",
    default: "mcp-kubernetes-ro",
  },
  { name: "help", kind: "boolean", help: "Show this help and exit" },
  { name: "version", kind: "boolean", help: "Print the version and exit" },
];

/** Every environment variable the server reads, for --help and the release permissions. */
export const ENV_VARS = [
  "KUBECONFIG",
  "HOME",
  "USERPROFILE",
  "MCP_KUBERNETES_RO_DISABLED_TOOLS",
  "DISABLED_TOOLS",
  "MCP_KUBERNETES_RO_DISABLED_RESOURCES",
  "MCP_KUBERNETES_RO_ALWAYS_START",
  "MCP_KUBERNETES_RO_ALLOWED_HOSTS",
  "MCP_KUBERNETES_RO_AUTH",
  "MCP_KUBERNETES_RO_CLIENT_CACHE_TTL",
  "MCP_KUBERNETES_RO_CLIENT_CACHE_SIZE",
  "MCP_KUBERNETES_RO_QPS",
  "MCP_KUBERNETES_RO_BURST",
  "MCP_KUBERNETES_RO_MAX_IN_FLIGHT",
  "MCP_KUBERNETES_RO_MEMORY_BUDGET",
  "MCP_KUBERNETES_RO_MAX_CONCURRENT_CALLS",
  "KUBERNETES_SERVICE_HOST",
  "KUBERNETES_SERVICE_PORT",
  "MCP_KUBERNETES_RO_INSECURE_SECRET_ACCESS",
  "MCP_KUBERNETES_RO_ENCRYPTED_SECRET_ACCESS",
  "TMPDIR",
  "MCP_KUBERNETES_RO_ENABLE_PORT_FORWARDING",
  "ENABLE_PORT_FORWARDING",
  "MCP_KUBERNETES_RO_PORT_FORWARD_MAX_SESSIONS",
  "MCP_KUBERNETES_RO_PORT_FORWARD_IDLE_TIMEOUT",
] as const;
