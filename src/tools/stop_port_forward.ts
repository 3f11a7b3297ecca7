import { z } from "../deps.ts";
import { defineTool } from "../mcp/define_tool.ts";
import { ToolError } from "../errors.ts";
import { ok } from "../mcp/result.ts";
import { ownerKey } from "../portforward/sessions.ts";
import * as o from "./_output.ts";
import * as p from "./_shared.ts";

export const stopPortForward = defineTool({
  name: "stop_port_forward",
  title: "Stop a port forward",
  description: "Close a port forward (its local ports and tunnel) by id, or forget one that " +
    "ended by itself.",
  input: {
    id: p.text(64).describe("Port forward id, e.g. pf-1"),
  },
  output: o.result({ id: z.string(), stopped: z.boolean() }),
  annotations: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: false,
  },
  async run({ id }, { identity, portForwards }) {
    if (!portForwards) {
      throw new ToolError("port forwarding is not enabled (--enable-port-forwarding)");
    }
    const name = id.trim();
    if (!name) throw new ToolError("port forward id is required");
    await portForwards.stop(ownerKey(identity), name);
    return ok({ id: name, stopped: true });
  },
});
