import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ToolError } from "../mcp/result.ts";

export const getNodeMetrics = defineTool({
  name: "get_node_metrics",
  title: "Get node metrics",
  description: "Not implemented yet.",
  input: {},
  annotations: READS_CLUSTER,
  run() {
    return Promise.reject(new ToolError("get_node_metrics is not implemented yet"));
  },
});
