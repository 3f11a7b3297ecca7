// The version has one source: deno.json. A JSON import also works when run from a URL.
import meta from "../deno.json" with { type: "json" };

export const NAME = "mcp-kubernetes-ro";
export const VERSION: string = meta.version;
