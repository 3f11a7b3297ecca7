import { z } from "../deps.ts";
import { defineTool, READS_CLUSTER } from "../mcp/define_tool.ts";
import * as o from "./_output.ts";
import { ToolError } from "../errors.ts";
import { ok } from "../mcp/result.ts";
import { decryptCommand, encryptBlocks, importPublicKey } from "../secrets/encrypt.ts";
import { readSecretValue, requireRef } from "./_secret_value.ts";
import * as p from "./_shared.ts";
import { secretName } from "./_secret_shared.ts";

export const getSecretEncrypted = defineTool({
  name: "get_secret_encrypted",
  title: "Get a Secret value encrypted to the user's key",
  description: "Encrypt one value of a Secret's data to the user's RSA public key (RSA-OAEP, " +
    "at least 2048 bits) and return a POSIX shell command that decrypts it with openssl into " +
    "output_path (mode 0600, never overwriting) and then deletes the private key. The value " +
    "never enters the conversation. Ask the user for their PUBLIC key only; give them " +
    "decrypt_command to run. The server never reads or writes either path.",
  input: {
    public_key: p.text(p.LIMITS.publicKey).describe(
      "The user's RSA public key in PEM (-----BEGIN PUBLIC KEY----- or RSA PUBLIC KEY)",
    ),
    private_key_path: p.text(p.LIMITS.path).describe(
      "Path of the matching private key on the user's machine; the command deletes it",
    ),
    output_path: p.text(p.LIMITS.path).describe(
      "Path of the new file the command writes the value to; an existing file is kept",
    ),
    name: secretName,
    key: p.text(p.LIMITS.name).describe("Key in the Secret's data"),
    namespace: p.namespace,
    context: p.context,
  },
  output: o.result({
    blocks: z.number(),
    bytes: z.number(),
    decrypt_command: z.string(),
    note: z.string(),
  }),
  annotations: READS_CLUSTER,
  async run(args, { kube, signal }) {
    for (const field of ["public_key", "private_key_path", "output_path"] as const) {
      if (!args[field]?.trim()) throw new ToolError(`${field} is required`);
    }
    requireRef(args);
    const { key, bytes: modulus } = await importPublicKey(args.public_key);
    const value = await readSecretValue(kube, args, "get_secret_encrypted", signal);
    const blocks = await encryptBlocks(key, modulus, value);
    return ok({
      blocks: blocks.length,
      bytes: value.length,
      decrypt_command: decryptCommand(blocks, args.private_key_path, args.output_path),
      note: "Give the user decrypt_command to run in a POSIX shell (sh, bash, zsh) with openssl " +
        "installed. It writes the value to output_path and deletes the private key; it fails " +
        "without touching anything if output_path already exists. Do not run it yourself and " +
        "never print the decrypted value.",
    });
  },
});
