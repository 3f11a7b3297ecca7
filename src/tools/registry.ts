// Every tool, in the reference's registration order, and the choice of which to register.

import type { ToolDefinition } from "../mcp/define_tool.ts";
import { listResources } from "./list_resources.ts";
import { getResource } from "./get_resource.ts";
import { listApiResources } from "./list_api_resources.ts";
import { listContexts } from "./list_contexts.ts";
import { getLogs } from "./get_logs.ts";
import { getPodContainers } from "./get_pod_containers.ts";
import { getNodeMetrics } from "./get_node_metrics.ts";
import { getPodMetrics } from "./get_pod_metrics.ts";
import { encodeBase64Tool } from "./encode_base64.ts";
import { decodeBase64Tool } from "./decode_base64.ts";
import { describeResource } from "./describe_resource.ts";
import { getClusterHealth } from "./get_cluster_health.ts";
import { saveSecretToFile } from "./save_secret_to_file.ts";
import { getSecretEncrypted } from "./get_secret_encrypted.ts";
import { startPortForward } from "./start_port_forward.ts";
import { stopPortForward } from "./stop_port_forward.ts";
import { listPortForwards } from "./list_port_forwards.ts";
import type { SecretAccess } from "../config/schema.ts";
import { fanOut } from "./_fan_out.ts";

export const TOOLS: readonly ToolDefinition[] = [
  fanOut(listResources), // context may be "*" or a list: _fan_out.ts
  getResource,
  listApiResources,
  listContexts,
  getLogs,
  getPodContainers,
  fanOut(getNodeMetrics), // context may be "*" or a list: _fan_out.ts
  fanOut(getPodMetrics), // context may be "*" or a list: _fan_out.ts
  encodeBase64Tool,
  decodeBase64Tool,
  // Ours, beyond the reference's ten.
  describeResource,
  fanOut(getClusterHealth), // context may be "*" or a list: _fan_out.ts
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

/** A group of tools and when the server offers them. */
export interface Offer {
  tools: readonly ToolDefinition[];
  /** Markdown: "always", or the flag or mode that registers them. */
  when: string;
}

/** Every tool with when it is offered: the README's tools table (scripts/readme.ts) lists these. */
export const CATALOGUE: readonly Offer[] = [
  { tools: TOOLS, when: "always" },
  { tools: PORT_FORWARD_TOOLS, when: "`--enable-port-forwarding`" },
  ...Object.entries(SECRET_TOOLS).flatMap(([mode, tool]) =>
    tool ? [{ tools: [tool], when: `secret access \`${mode}\`` }] : []
  ),
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
