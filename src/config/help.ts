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
  ].join("\n");
}
