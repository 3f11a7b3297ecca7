import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import * as o from "./_output.ts";
import { ToolError } from "../errors.ts";
import { ok } from "../mcp/result.ts";
import { readSecretValue, requireRef } from "./_secret_value.ts";
import { writeSecretFile } from "../secrets/write_file.ts";
import * as p from "./_shared.ts";
import { secretName } from "./_secret_shared.ts";

export const saveSecretToFile = defineTool({
  name: "save_secret_to_file",
  title: "Save a Secret value to a local file",
  description: "Write one Secret value, decoded, to a new local file (mode 0600) and return " +
    "only its path and size: the value never enters the conversation. Tell the user the path; " +
    "do not read or print the file.",
  input: {
    name: secretName,
    key: p.text(p.LIMITS.name).describe("Key in its data"),
    namespace: p.namespace,
    context: p.context,
    path: p.text(p.LIMITS.path).optional().describe(
      "Absolute path of a new file (never overwritten; its folder must exist). Default: a " +
        "new private temp folder",
    ),
  },
  output: o.result({ bytes: z.number(), note: z.string(), path: z.string() }),
  // Writes a new local file, never anything in the cluster: not read-only, so the write hints
  // count. Never destructive (it refuses existing files); not idempotent (a new file per call).
  annotations: {
    ...READS_CLUSTER,
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
  },
  async run(args, { kube, tempDir, signal }) {
    requireRef(args);
    const bytes = await readSecretValue(kube, args, "save_secret_to_file", signal);
    let path;
    try {
      path = await writeSecretFile({
        bytes,
        key: args.key,
        path: args.path,
        tempRoots: [tempDir, "/tmp"],
      });
    } catch (e) {
      throw new ToolError(`failed to write secret value: ${(e as Error).message}`);
    }
    return ok({
      bytes: bytes.length,
      note: "The value was written to this file and is not shown here. Give the user the path; " +
        "do not read, print or copy the file's content.",
      path,
    });
  },
});
