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
import type { SecretAccess } from "../config/schema.ts";
import { fanOut } from "./fan_out.ts";

export const TOOLS: readonly ToolDefinition[] = [
  fanOut(listResources), // context may be "*" or a list: src/mcp/fan_out.ts
  getResource,
  listApiResources,
  listContexts,
  getLogs,
  getPodContainers,
  fanOut(getNodeMetrics), // context may be "*" or a list: src/mcp/fan_out.ts
  fanOut(getPodMetrics), // context may be "*" or a list: src/mcp/fan_out.ts
  encodeBase64Tool,
  decodeBase64Tool,
  // Ours, beyond the reference's ten.
  describeResource,
  fanOut(getClusterHealth), // context may be "*" or a list: src/mcp/fan_out.ts
];

/** The secret tool each mode offers, registered after the others; insecure offers none. */
export const SECRET_TOOLS: Record<SecretAccess, ToolDefinition | undefined> = {
  file: saveSecretToFile,
  encrypted: getSecretEncrypted,
  insecure: undefined,
};

export interface Selection {
  tools: ToolDefinition[];
  skipped: string[];
  /** Disabled names that match no tool: typos that would otherwise leave a tool enabled. */
  unknown: string[];
}

/** `disabled` holds lower-cased, trimmed names. Both secret tools are known names in any mode. */
export function selectTools(disabled: readonly string[], secretAccess: SecretAccess): Selection {
  const off = new Set(disabled);
  const secretTool = SECRET_TOOLS[secretAccess];
  const offered = secretTool ? [...TOOLS, secretTool] : [...TOOLS];
  const names = new Set([
    ...TOOLS.map((t) => t.name),
    ...Object.values(SECRET_TOOLS).flatMap((t) => t ? [t.name] : []),
  ]);
  return {
    tools: offered.filter((t) => !off.has(t.name)),
    skipped: offered.filter((t) => off.has(t.name)).map((t) => t.name),
    unknown: disabled.filter((n) => !names.has(n)),
  };
}
