// Writes the kubeconfig: clusters `testenv` and `testenv-nometrics`, the users, and the contexts of
// seed_data.ts CONTEXTS. Cert users use embedded *-data (reader) or file paths (admin), so both
// kubeconfig forms are exercised; token users use `token`.

import { encodeBase64 } from "./base64.ts";
import type { Tokens } from "./cluster.ts";
import type { Pki } from "./pki.ts";
import { CONTEXTS, CURRENT_CONTEXT } from "./seed_data.ts";

const q = (s: string) => JSON.stringify(s);

export async function writeKubeconfig(
  file: string,
  servers: { main: string; nometrics: string },
  pki: Pki,
  tokens: Tokens,
): Promise<void> {
  const ca = encodeBase64(await Deno.readTextFile(pki.caCert));
  const reader = pki.clients["mcp-reader"]!;
  const admin = pki.clients["mcp-admin"]!;
  const users: Record<string, string[]> = {
    "mcp-reader": [
      `client-certificate-data: ${encodeBase64(await Deno.readTextFile(reader.cert))}`,
      `client-key-data: ${encodeBase64(await Deno.readTextFile(reader.key))}`,
    ],
    "mcp-admin": [`client-certificate: ${q(admin.cert)}`, `client-key: ${q(admin.key)}`],
    "mcp-viewer": [`token: ${q(tokens["mcp-viewer"])}`],
    "mcp-nobody": [`token: ${q(tokens["mcp-nobody"])}`],
    "mcp-podreader": [`token: ${q(tokens["mcp-podreader"])}`],
    "mcp-forwarder": [`token: ${q(tokens["mcp-forwarder"])}`],
    "mcp-forwarder-2": [`token: ${q(tokens["mcp-forwarder-2"])}`],
  };
  const lines = [
    "apiVersion: v1",
    "kind: Config",
    "preferences: {}",
    `current-context: ${q(CURRENT_CONTEXT)}`,
    "clusters:",
    ...[["testenv", servers.main], ["testenv-nometrics", servers.nometrics]].flatMap((
      [name, server],
    ) => [
      `- name: ${q(name!)}`,
      "  cluster:",
      `    server: ${q(server!)}`,
      `    certificate-authority-data: ${ca}`,
    ]),
    "users:",
    ...Object.entries(users).flatMap(([name, fields]) => [
      `- name: ${q(name)}`,
      "  user:",
      ...fields.map((f) => `    ${f}`),
    ]),
    "contexts:",
    ...Object.entries(CONTEXTS).flatMap(([name, c]) => [
      `- name: ${q(name)}`,
      "  context:",
      `    cluster: ${q(name === "nometrics" ? "testenv-nometrics" : "testenv")}`,
      `    user: ${q(c.user)}`,
      `    namespace: ${q(c.namespace)}`,
    ]),
  ];
  const tmp = `${file}.tmp`;
  await Deno.writeTextFile(tmp, lines.join("\n") + "\n", { mode: 0o600 });
  await Deno.rename(tmp, file);
}
