import { z } from "../deps.ts";
import { defineTool, LOCAL_ONLY } from "../mcp/define_tool.ts";
import { ToolError } from "../errors.ts";
import { ok } from "../mcp/result.ts";
import { ownerKey } from "../portforward/sessions.ts";
import * as o from "./_output.ts";

export const listPortForwards = defineTool({
  name: "list_port_forwards",
  title: "List port forwards",
  description: "Your port forwards: ports, status (active, or ended with ended_reason), " +
    "bytes_in/bytes_out, last_used, open connections and the last connection error.",
  input: {},
  output: o.result({ count: o.count, port_forwards: z.array(o.object) }),
  annotations: LOCAL_ONLY,
  // deno-lint-ignore require-await
  async run(_args, { identity, portForwards }) {
    if (!portForwards) {
      throw new ToolError("port forwarding is not enabled (--enable-port-forwarding)");
    }
    const all = portForwards.list(ownerKey(identity));
    return ok({ count: all.length, port_forwards: all });
  },
});
