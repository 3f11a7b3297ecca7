// Configuration precedence, in one pure function: flags, then environment, then defaults.
// Lists from a higher source replace lower ones whole; nothing is merged silently, except the
// disabled resources, where a union fails safe (a block set in the environment cannot be undone
// by a flag).

import {
  budgetFromLimit,
  callsFor,
  DEFAULT_BUDGET_BYTES,
  MIN_BUDGET_BYTES,
  parseSize,
} from "../budget/plan.ts";
import { parseDuration } from "../duration.ts";
import { UsageError } from "./errors.ts";
import type { EnvLayer } from "./env.ts";
import type { FlagLayer } from "./flags.ts";
import {
  type Action,
  AUTH_MODES,
  type AuthModeName,
  type Config,
  DEFAULTS,
  type SecretAccess,
  type TransportName,
  TRANSPORTS,
} from "./schema.ts";

export interface Layers {
  flags: FlagLayer;
  env: EnvLayer;
  /** Deno.build.os; decides the kubeconfig path separator and the home variable. */
  os?: string;
  /** The container's memory limit in bytes (cgroup), when one is set. */
  cgroupMemoryLimit?: number;
}

export interface Resolved {
  action: Action;
  config: Config;
  /** For --print-rbac: the ServiceAccount's namespace and whether port forwarding is on. */
  rbac: { namespace: string; portForward: boolean };
  /** Problems that do not stop the server, for stderr. */
  warnings: string[];
}

/** Splits on commas and any whitespace, dropping empty pieces. */
export function splitList(values: readonly string[] | string | undefined): string[] {
  if (values === undefined) return [];
  return [values].flat().flatMap((v) => v.split(/[\s,]+/)).filter((v) => v !== "");
}

function nonBlank(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value : undefined;
}

/** True for true, 1 and yes in any case; false for any other non-blank value; blank is unset. */
export function envBoolean(value: string | undefined): boolean | undefined {
  const v = nonBlank(value)?.trim().toLowerCase();
  return v === undefined ? undefined : ["true", "1", "yes"].includes(v);
}

function resolveKubeconfig(
  layers: Layers,
): Pick<Config, "kubeconfigPaths" | "kubeconfigSource" | "inCluster"> {
  const inCluster = nonBlank(layers.env.KUBERNETES_SERVICE_HOST) !== undefined;
  const windows = layers.os === "windows";
  const split = (v: string) => v.split(windows ? ";" : ":").filter((p) => p !== "");
  const flag = nonBlank(layers.flags.kubeconfig);
  if (flag) return { kubeconfigPaths: split(flag), kubeconfigSource: "flag", inCluster };
  const env = layers.env.KUBECONFIG;
  if (env) return { kubeconfigPaths: split(env), kubeconfigSource: "KUBECONFIG", inCluster };
  const home = nonBlank(windows ? layers.env.USERPROFILE ?? layers.env.HOME : layers.env.HOME);
  const sep = windows ? "\\" : "/";
  return {
    kubeconfigPaths: home ? [[home.replace(/[\\/]+$/, ""), ".kube", "config"].join(sep)] : [],
    kubeconfigSource: "default",
    inCluster,
  };
}

function resolveDisabledTools(
  layers: Layers,
): Pick<Config, "disabledTools" | "disabledToolsSource"> {
  const sources: [string, string[]][] = [
    ["--disabled-tools", splitList(layers.flags.disabledTools)],
    ["MCP_KUBERNETES_RO_DISABLED_TOOLS", splitList(layers.env.MCP_KUBERNETES_RO_DISABLED_TOOLS)],
    ["DISABLED_TOOLS", splitList(layers.env.DISABLED_TOOLS)],
  ];
  const first = sources.find(([, list]) => list.length > 0);
  return {
    disabledTools: [...new Set(first?.[1].map((n) => n.trim().toLowerCase()) ?? [])],
    disabledToolsSource: first?.[0],
  };
}

function resolveTransport(value: string | undefined): TransportName {
  const v = value ?? DEFAULTS.transport;
  if (!(TRANSPORTS as readonly string[]).includes(v)) {
    throw new UsageError(`--transport must be one of ${TRANSPORTS.join(", ")}; got "${v}"`);
  }
  return v as TransportName;
}

function resolvePort(value: string | undefined): number {
  if (value === undefined) return DEFAULTS.port;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 65535)) {
    throw new UsageError(`--port must be a whole number from 1 to 65535; got "${value}"`);
  }
  return n;
}

function resolveDurationMs(flag: string, value: string | undefined, fallback: string): number {
  const v = value ?? fallback;
  const ms = /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) * 1000 : parseDuration(v);
  if (ms === undefined || !(ms > 0)) {
    throw new UsageError(
      `--${flag} must be a positive duration such as 30s, 1m or 2m30s; got "${v}"`,
    );
  }
  return ms;
}

function resolveTimeout(value: string | undefined): number {
  return resolveDurationMs("request-timeout", value, DEFAULTS.requestTimeout);
}

/** The flag, else the env var (blank counts as unset). */
function pick(flag: string | undefined, env: string | undefined): string | undefined {
  return nonBlank(flag) ?? nonBlank(env);
}

function resolveCount(flag: string, value: string | undefined, fallback: number, min: number) {
  if (value === undefined) return fallback;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= min) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${flag} must be a whole number of at least ${min}; got "${value}"`);
  }
  return n;
}

/**
 * The QPS bucket protects an API server from many callers sharing one deployment (issue 16 asks
 * for it on the HTTP transports). On stdio there is one user whose client sends calls one after
 * another, so by default nothing paces them: a 20 QPS bucket only made describe_resource (four
 * requests) wait 200 ms once its burst was spent. --qps (or its variable) still applies there.
 */
function defaultQps(transport: TransportName): number {
  return transport === "stdio" ? 0 : DEFAULTS.qps;
}

function resolveQps(value: string | undefined, transport: TransportName): number {
  if (value === undefined) return defaultQps(transport);
  const n = /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= 0)) {
    throw new UsageError(
      `--qps must be a number of requests per second, 0 for none; got "${value}"`,
    );
  }
  return n;
}

function resolveAuth(value: string | undefined, transport: TransportName): AuthModeName {
  const v = value?.trim().toLowerCase() ?? DEFAULTS.auth;
  if (!(AUTH_MODES as readonly string[]).includes(v)) {
    throw new UsageError(`--auth must be one of ${AUTH_MODES.join(", ")}; got "${value}"`);
  }
  if (v === "passthrough" && transport === "stdio") {
    throw new UsageError(
      `--auth=passthrough needs an HTTP transport: stdio has no Authorization header to pass ` +
        `through; add --transport=streamable-http (or sse)`,
    );
  }
  return v as AuthModeName;
}

function resolveTeam(
  { flags, env }: Layers,
): Pick<
  Config,
  "auth" | "clientCacheTtlMs" | "clientCacheSize" | "qps" | "burst" | "maxInFlight"
> {
  const transport = resolveTransport(flags.transport);
  const qps = resolveQps(pick(flags.qps, env.MCP_KUBERNETES_RO_QPS), transport);
  const burst = resolveCount(
    "burst",
    pick(flags.burst, env.MCP_KUBERNETES_RO_BURST),
    DEFAULTS.burst,
    1,
  );
  return {
    auth: resolveAuth(pick(flags.auth, env.MCP_KUBERNETES_RO_AUTH), transport),
    clientCacheTtlMs: resolveDurationMs(
      "client-cache-ttl",
      pick(flags.clientCacheTtl, env.MCP_KUBERNETES_RO_CLIENT_CACHE_TTL),
      DEFAULTS.clientCacheTtl,
    ),
    clientCacheSize: resolveCount(
      "client-cache-size",
      pick(flags.clientCacheSize, env.MCP_KUBERNETES_RO_CLIENT_CACHE_SIZE),
      DEFAULTS.clientCacheSize,
      1,
    ),
    qps,
    burst,
    maxInFlight: resolveCount(
      "max-in-flight",
      pick(flags.maxInFlight, env.MCP_KUBERNETES_RO_MAX_IN_FLIGHT),
      DEFAULTS.maxInFlight,
      1,
    ),
  };
}

/**
 * The flag, else its variable, else 3/4 of the cgroup's limit, else the fixed default; then the
 * concurrent calls, sized to that budget unless given.
 */
function resolveBudget(
  { flags, env, cgroupMemoryLimit }: Layers,
): Pick<Config, "memoryBudgetBytes" | "memoryBudgetSource" | "maxConcurrentCalls"> {
  const given: [Config["memoryBudgetSource"], string | undefined][] = [
    ["--memory-budget", nonBlank(flags.memoryBudget)],
    ["MCP_KUBERNETES_RO_MEMORY_BUDGET", nonBlank(env.MCP_KUBERNETES_RO_MEMORY_BUDGET)],
  ];
  const [source, text] = given.find(([, v]) => v !== undefined) ?? [];
  let bytes: number;
  let from: Config["memoryBudgetSource"];
  if (source && text !== undefined) {
    const parsed = parseSize(text);
    if (parsed === undefined || parsed < MIN_BUDGET_BYTES) {
      throw new UsageError(
        `${source} must be a size of at least ${MIN_BUDGET_BYTES / 1024 / 1024}Mi, such as ` +
          `192Mi, 512Mi or 1Gi; got "${text}"`,
      );
    }
    [bytes, from] = [parsed, source];
  } else {
    const fromLimit = budgetFromLimit(cgroupMemoryLimit);
    [bytes, from] = fromLimit !== undefined
      ? [Math.max(fromLimit, MIN_BUDGET_BYTES), "cgroup"]
      : [DEFAULT_BUDGET_BYTES, "default"];
  }
  return {
    memoryBudgetBytes: bytes,
    memoryBudgetSource: from,
    maxConcurrentCalls: resolveCount(
      "max-concurrent-calls",
      pick(flags.maxConcurrentCalls, env.MCP_KUBERNETES_RO_MAX_CONCURRENT_CALLS),
      callsFor(bytes),
      1,
    ),
  };
}

/**
 * Insecure wins; otherwise encrypted when asked for, else by transport: a server on stdio runs on
 * the user's machine and can write a file there, one behind HTTP may not share its disk.
 * Each variable is read only when its flag was not given (§1.4 of the reference).
 */
function resolveSecretAccess(layers: Layers, transport: TransportName): SecretAccess {
  const { flags, env } = layers;
  const insecure = flags.insecureSecretAccess ??
    envBoolean(env.MCP_KUBERNETES_RO_INSECURE_SECRET_ACCESS);
  if (insecure) return "insecure";
  const encrypted = flags.encryptedSecretAccess ??
    envBoolean(env.MCP_KUBERNETES_RO_ENCRYPTED_SECRET_ACCESS);
  if (encrypted) return "encrypted";
  return transport === "stdio" ? "file" : "encrypted";
}

/**
 * The reference's rule (§1.2, §1.4): a true flag wins; otherwise the first set (non-blank) of
 * MCP_KUBERNETES_RO_ENABLE_PORT_FORWARDING, ENABLE_PORT_FORWARDING decides, so a set-but-false
 * specific variable stops the search; environment never turns a true flag off.
 */
export function resolvePortForwarding(
  { flags, env }: Layers,
): Pick<Config, "portForwarding" | "portForwardMaxSessions" | "portForwardIdleTimeoutMs"> {
  const portForwarding = flags.enablePortForwarding === true ||
    (envBoolean(env.MCP_KUBERNETES_RO_ENABLE_PORT_FORWARDING) ??
      envBoolean(env.ENABLE_PORT_FORWARDING) ?? false);
  const idle = pick(flags.portForwardIdleTimeout, env.MCP_KUBERNETES_RO_PORT_FORWARD_IDLE_TIMEOUT);
  return {
    portForwarding,
    portForwardMaxSessions: resolveCount(
      "port-forward-max-sessions",
      pick(flags.portForwardMaxSessions, env.MCP_KUBERNETES_RO_PORT_FORWARD_MAX_SESSIONS),
      DEFAULTS.portForwardMaxSessions,
      1,
    ),
    portForwardIdleTimeoutMs: idle !== undefined && /^0+(s|m|h)?$/.test(idle.trim())
      ? 0
      : resolveDurationMs("port-forward-idle-timeout", idle, DEFAULTS.portForwardIdleTimeout),
  };
}

export function resolveConfig(layers: Layers): Resolved {
  const { flags, env } = layers;
  const warnings: string[] = [];
  const host = flags.host ?? DEFAULTS.host;
  if (host.trim() === "") throw new UsageError(`--host needs an address such as 127.0.0.1`);
  const transport = resolveTransport(flags.transport);
  const config: Config = {
    ...resolveKubeconfig(layers),
    namespace: nonBlank(flags.namespace)?.trim(),
    transport,
    port: resolvePort(flags.port),
    host,
    allowedHosts: flags.allowedHosts
      ? splitList(flags.allowedHosts)
      : splitList(env.MCP_KUBERNETES_RO_ALLOWED_HOSTS),
    ...resolveDisabledTools(layers),
    disabledResources: [
      ...new Set([
        ...splitList(flags.disabledResources),
        ...splitList(env.MCP_KUBERNETES_RO_DISABLED_RESOURCES),
      ]),
    ],
    alwaysStart: flags.alwaysStart ?? envBoolean(env.MCP_KUBERNETES_RO_ALWAYS_START) ?? false,
    requestTimeoutMs: resolveTimeout(flags.requestTimeout),
    ...resolveTeam(layers),
    secretAccess: resolveSecretAccess(layers, transport),
    tempDir: nonBlank(env.TMPDIR)?.trim() ?? "/tmp",
    ...resolveBudget(layers),
    ...resolvePortForwarding(layers),
  };
  if (config.secretAccess === "insecure") {
    warnings.push(
      "--insecure-secret-access is enabled. Secret values are returned to the model as stored " +
        "and stay in its conversation and the client's logs.",
    );
  }
  const action: Action = flags.help
    ? "help"
    : flags.version
    ? "version"
    : flags.printRbac
    ? "print-rbac"
    : "serve";
  const rbacNamespace = nonBlank(flags.rbacNamespace)?.trim() ?? "mcp-kubernetes-ro";
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(rbacNamespace) || rbacNamespace.length > 63) {
    throw new UsageError(
      `--rbac-namespace must be a namespace name (a DNS-1123 label); got ` +
        `"${rbacNamespace}"`,
    );
  }
  const rbac = { namespace: rbacNamespace, portForward: config.portForwarding };
  return { action, config, warnings, rbac };
}
