// Every tool, in the reference's registration order, and the choice of which to register.

import type { ToolDefinition } from "./define_tool.ts";
import { listResources } from "../tools/list_resources.ts";
import { getResource } from "../tools/get_resource.ts";
import { listApiResources } from "../tools/list_api_resources.ts";
import { listContexts } from "../tools/list_contexts.ts";
import { getLogs } from "../tools/get_logs.ts";
import { getPodContainers } from "../tools/get_pod_containers.ts";
import { getNodeMetrics } from "../tools/get_node_metrics.ts";
import { getPodMetrics } from "../tools/get_pod_metrics.ts";
import { encodeBase64Tool } from "../tools/encode_base64.ts";
import { decodeBase64Tool } from "../tools/decode_base64.ts";
import { describeResource } from "../tools/describe_resource.ts";
import { getClusterHealth } from "../tools/get_cluster_health.ts";
import { saveSecretToFile } from "../tools/save_secret_to_file.ts";
import { getSecretEncrypted } from "../tools/get_secret_encrypted.ts";
import { startPortForward } from "../tools/start_port_forward.ts";
import { stopPortForward } from "../tools/stop_port_forward.ts";
import { listPortForwards } from "../tools/list_port_forwards.ts";
import type { SecretAccess } from "../config/schema.ts";

export const TOOLS: readonly ToolDefinition[] = [
  listResources,
  getResource,
  listApiResources,
  listContexts,
  getLogs,
  getPodContainers,
  getNodeMetrics,
  getPodMetrics,
  encodeBase64Tool,
  decodeBase64Tool,
  // Ours, beyond the reference's ten.
  describeResource,
  getClusterHealth,
];

/** The secret tool each mode offers, registered after the others; insecure offers none. */
export const SECRET_TOOLS: Record<SecretAccess, ToolDefinition | undefined> = {
  file: saveSecretToFile,
  encrypted: getSecretEncrypted,
  insecure: undefined,
};

/** Registered after the others, in the reference's order, only with --enable-port-forwarding. */
export const PORT_FORWARD_TOOLS: readonly ToolDefinition[] = [
  startPortForward,
  stopPortForward,
  listPortForwards,
];

export interface Selection {
  tools: ToolDefinition[];
  skipped: string[];
  /** Disabled names that match no tool: typos that would otherwise leave a tool enabled. */
  unknown: string[];
}

/**
 * `disabled` holds lower-cased, trimmed names. Both secret tools and the port-forward tools are
 * known names in any mode.
 */
export function selectTools(
  disabled: readonly string[],
  secretAccess: SecretAccess,
  portForwarding = false,
): Selection {
  const off = new Set(disabled);
  const secretTool = SECRET_TOOLS[secretAccess];
  const offered = [
    ...TOOLS,
    ...(portForwarding ? PORT_FORWARD_TOOLS : []),
    ...(secretTool ? [secretTool] : []),
  ];
  const names = new Set([
    ...TOOLS.map((t) => t.name),
    ...PORT_FORWARD_TOOLS.map((t) => t.name),
    ...Object.values(SECRET_TOOLS).flatMap((t) => t ? [t.name] : []),
  ]);
  return {
    tools: offered.filter((t) => !off.has(t.name)),
    skipped: offered.filter((t) => off.has(t.name)).map((t) => t.name),
    unknown: disabled.filter((n) => !names.has(n)),
  };
}
