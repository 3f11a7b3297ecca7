import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ToolError } from "../mcp/result.ts";

export const getLogs = defineTool({
  name: "get_logs",
  title: "Get pod logs",
  description: "Not implemented yet.",
  input: {},
  annotations: READS_CLUSTER,
  run() {
    return Promise.reject(new ToolError("get_logs is not implemented yet"));
  },
});
