// Configuration precedence, in one pure function: flags, then environment, then defaults.
// Lists from a higher source replace lower ones whole; nothing is merged silently, except the
// disabled resources, where a union fails safe (a block set in the environment cannot be undone
// by a flag).

import { parseDuration } from "../duration.ts";
import { UsageError } from "./errors.ts";
import type { EnvLayer } from "./env.ts";
import type { FlagLayer } from "./flags.ts";
import {
  type Action,
  type Config,
  DEFAULTS,
  type SecretAccess,
  type Transport,
  TRANSPORTS,
} from "./schema.ts";

export interface Layers {
  flags: FlagLayer;
  env: EnvLayer;
  /** Deno.build.os; decides the kubeconfig path separator and the home variable. */
  os?: string;
}

export interface Resolved {
  action: Action;
  config: Config;
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

function resolveTransport(value: string | undefined): Transport {
  const v = value ?? DEFAULTS.transport;
  if (!(TRANSPORTS as readonly string[]).includes(v)) {
    throw new UsageError(`--transport must be one of ${TRANSPORTS.join(", ")}; got "${v}"`);
  }
  return v as Transport;
}

function resolvePort(value: string | undefined): number {
  if (value === undefined) return DEFAULTS.port;
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 65535)) {
    throw new UsageError(`--port must be a whole number from 1 to 65535; got "${value}"`);
  }
  return n;
}

function resolveTimeout(value: string | undefined): number {
  const v = value ?? DEFAULTS.requestTimeout;
  const ms = /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) * 1000 : parseDuration(v);
  if (ms === undefined || !(ms > 0)) {
    throw new UsageError(
      `--request-timeout must be a positive duration such as 30s, 1m or 2m30s; got "${v}"`,
    );
  }
  return ms;
}

/**
 * Insecure wins; otherwise encrypted when asked for, else by transport: a server on stdio runs on
 * the user's machine and can write a file there, one behind HTTP may not share its disk.
 * Each variable is read only when its flag was not given (§1.4 of the reference).
 */
function resolveSecretAccess(layers: Layers, transport: Transport): SecretAccess {
  const { flags, env } = layers;
  const insecure = flags.insecureSecretAccess ??
    envBoolean(env.MCP_KUBERNETES_RO_INSECURE_SECRET_ACCESS);
  if (insecure) return "insecure";
  const encrypted = flags.encryptedSecretAccess ??
    envBoolean(env.MCP_KUBERNETES_RO_ENCRYPTED_SECRET_ACCESS);
  if (encrypted) return "encrypted";
  return transport === "stdio" ? "file" : "encrypted";
}

export function resolveConfig(layers: Layers): Resolved {
  const { flags, env } = layers;
  const warnings: string[] = [];
  if (flags.enablePortForwarding) {
    warnings.push("--enable-port-forwarding is ignored: this server offers no port forwarding");
  }
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
    secretAccess: resolveSecretAccess(layers, transport),
    tempDir: nonBlank(env.TMPDIR)?.trim() ?? "/tmp",
  };
  if (config.secretAccess === "insecure") {
    warnings.push(
      "--insecure-secret-access is enabled. Secret values are returned to the model as stored " +
        "and stay in its conversation and the client's logs.",
    );
  }
  const action: Action = flags.help ? "help" : flags.version ? "version" : "serve";
  return { action, config, warnings };
}
