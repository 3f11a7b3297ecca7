// --print-rbac: the role as YAML on stdout, for `kubectl apply -f -`. No cluster is contacted.

import type { Config } from "../config/schema.ts";
import { loadKubeconfigParser } from "../deps.ts";
import { selectTools } from "../tools/registry.ts";
import { rbacObjects, type RoleOptions } from "./role.ts";

export interface PrintRbac {
  /** --rbac-namespace: where the ServiceAccount lives. */
  namespace: string;
  /** --enable-port-forwarding. */
  portForward: boolean;
}

export function roleOptions(config: Config, portForward: boolean): RoleOptions {
  const { tools } = selectTools(config.disabledTools, config.secretAccess);
  return {
    enabledTools: new Set(tools.map((t) => t.name)),
    disabledResources: config.disabledResources,
    insecureSecrets: config.secretAccess === "insecure",
    portForward,
  };
}

export async function rbacYaml(config: Config, print: PrintRbac): Promise<string> {
  const { yaml } = await loadKubeconfigParser();
  const o = roleOptions(config, print.portForward);
  const head =
    "# Least-privilege RBAC for mcp-kubernetes-ro (from --print-rbac): what its enabled " +
    "tools need, nothing else.\n# Tools: " + [...o.enabledTools].join(", ") + "\n" +
    "# Custom resources are not included: add a rule for their API groups if you read them.\n" +
    "# Apply with: kubectl apply -f <this file>\n";
  return head +
    rbacObjects(o, print.namespace).map((obj) =>
      "---\n" + yaml.dump(obj, { lineWidth: -1, noRefs: true, flowLevel: 3 })
    ).join("");
}
