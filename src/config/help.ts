// --help text, rendered from the flag table so it cannot drift from the parser.

import { NAME, VERSION } from "../version.ts";
import { FLAGS } from "./schema.ts";

export function helpText(): string {
  const rows = FLAGS.map((f) => {
    const left = `  --${f.name}${f.value ? ` ${f.value}` : ""}`;
    const extra = [
      f.default ? `default: ${f.default}` : "",
      f.env?.length ? `env: ${f.env.join(", then ")}` : "",
    ].filter(Boolean).join("; ");
    return `${left.padEnd(34)}${f.help}${extra ? `\n${" ".repeat(34)}(${extra})` : ""}`;
  });
  return [
    `${NAME} ${VERSION}: a read-only Kubernetes MCP server`,
    "",
    `Usage: ${NAME} [flags]`,
    "",
    "Flags (--flag value and --flag=value both work; list flags repeat and split on commas):",
    ...rows,
    "",
    "Boolean environment variables count as true for true, 1 or yes, in any case.",
    "",
    "Secret values (data and stringData of core v1 Secrets) never reach the model by default:",
    "  file       (default on stdio) values are hidden; save_secret_to_file writes one value to a",
    "             new local file (mode 0600) and returns only its path.",
    "  encrypted  (default on sse and streamable-http, or --encrypted-secret-access) values are",
    "             hidden; get_secret_encrypted encrypts one value to the user's RSA public key and",
    "             returns an openssl command that decrypts it on the user's machine.",
    "  insecure   (--insecure-secret-access) values are returned as stored, as in older versions;",
    "             no secret tool. They then stay in the conversation and the client's logs.",
  ].join("\n");
}
