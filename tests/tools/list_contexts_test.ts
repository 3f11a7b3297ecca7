import assert from "node:assert/strict";
import { callError, callJson, connectInMemory, testConfig } from "../_helpers/connect.ts";

function kubeconfig(current: string, contexts: [string, string, string, string?][]): string {
  const lines = ["apiVersion: v1", "kind: Config", `current-context: ${current}`, "clusters:"];
  for (const [, cluster] of contexts) {
    lines.push(`- name: ${cluster}`, `  cluster: {server: "https://127.0.0.1:6443"}`);
  }
  lines.push("users:");
  for (const [, , user] of contexts) lines.push(`- name: ${user}`, `  user: {token: t-${user}}`);
  lines.push("contexts:");
  for (const [name, cluster, user, ns] of contexts) {
    lines.push(
      `- name: ${name}`,
      `  context: {cluster: ${cluster}, user: ${user}${ns ? `, namespace: ${ns}` : ""}}`,
    );
  }
  return lines.join("\n") + "\n";
}

Deno.test("list_contexts lists the current context first, then by name", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/config`;
  await Deno.writeTextFile(
    path,
    kubeconfig("prod", [["dev", "c1", "u1"], ["prod", "c2", "u2", "team-a"], ["beta", "c1", "u1"]]),
  );
  const { client, close } = await connectInMemory(testConfig({ kubeconfig: path }));
  try {
    assert.deepEqual(await callJson(client, "list_contexts"), {
      contexts: [
        { name: "prod", cluster: "c2", user: "u2", namespace: "team-a", current: true },
        { name: "beta", cluster: "c1", user: "u1", current: false },
        { name: "dev", cluster: "c1", user: "u1", current: false },
      ],
      count: 3,
    });
    assert.deepEqual(await callJson(client, "list_contexts", { title_only: true }), {
      contexts: ["prod", "beta", "dev"],
      count: 3,
    });
  } finally {
    await close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("list_contexts merges KUBECONFIG paths first-wins, skipping missing files", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/a`, kubeconfig("one", [["one", "c1", "u1", "from-a"]]));
  await Deno.writeTextFile(
    `${dir}/b`,
    kubeconfig("two", [["one", "c9", "u9", "from-b"], ["two", "c2", "u2"]]),
  );
  const config = testConfig({ kubeconfig: `${dir}/a:${dir}/missing:${dir}/b` });
  const { client, close } = await connectInMemory(config);
  try {
    assert.deepEqual(await callJson(client, "list_contexts"), {
      contexts: [
        { name: "one", cluster: "c1", user: "u1", namespace: "from-a", current: true },
        { name: "two", cluster: "c2", user: "u2", current: false },
      ],
      count: 2,
    });
  } finally {
    await close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("list_contexts names the path and the problem of a bad kubeconfig", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/broken`, "clusters: [\n  - {name: x\n");
  try {
    for (
      const [path, message] of [
        [`${dir}/nope`, /kubeconfig .*\/nope \(from --kubeconfig\) does not exist/],
        [`${dir}/broken`, /kubeconfig .*\/broken is not valid: /],
      ] as const
    ) {
      const { client, close } = await connectInMemory(testConfig({ kubeconfig: path }));
      try {
        assert.match(await callError(client, "list_contexts"), message);
      } finally {
        await close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
