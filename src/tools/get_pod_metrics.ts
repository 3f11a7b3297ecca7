import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import { ToolError } from "../mcp/result.ts";

export const getPodMetrics = defineTool({
  name: "get_pod_metrics",
  title: "Get pod metrics",
  description: "Not implemented yet.",
  input: {},
  annotations: READS_CLUSTER,
  run() {
    return Promise.reject(new ToolError("get_pod_metrics is not implemented yet"));
  },
});
