// The port-forward tools as tools/list shows them with --enable-port-forwarding: a golden
// snapshot of the three, the reference's names and required parameters, honest annotations, and
// the instructions' PORT FORWARDING section only when enabled. Refresh the snapshot with:
// UPDATE_SNAPSHOTS=1 deno test -A tests/mcp/port_forward_tools_test.ts

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { Client, InMemoryTransport } from "../_helpers/sdk.ts";
import { testConfig } from "../_helpers/connect.ts";
import { KubeAccess } from "../../src/kube/access.ts";
import { selectTools } from "../../src/tools/registry.ts";
import { createServer } from "../../src/mcp/server.ts";
import { PortForwards } from "../../src/portforward/sessions.ts";

const SNAPSHOT = new URL("./__snapshots__/tools_list_port_forward.json", import.meta.url);
const PF = ["start_port_forward", "stop_port_forward", "list_port_forwards"];

async function listed(enabled: boolean) {
  const config = testConfig(enabled ? { enablePortForwarding: true } : {});
  const server = createServer({
    kube: new KubeAccess(config),
    config,
    tools: selectTools(config.disabledTools, config.secretAccess, config.portForwarding).tools,
    ...(enabled ? { portForwards: new PortForwards({ maxSessions: 1, idleTimeoutMs: 0 }) } : {}),
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: "t", version: "0" });
  await client.connect(a);
  try {
    return {
      tools: (await client.listTools()).tools,
      instructions: client.getInstructions() ?? "",
    };
  } finally {
    await client.close();
    await server.close();
  }
}

Deno.test("port-forward tools: snapshot, names, required parameters, annotations", async () => {
  const { tools, instructions } = await listed(true);
  const pf = tools.filter((t) => PF.includes(t.name));
  assert.deepEqual(pf.map((t) => t.name).sort(), [...PF].sort());
  const actual = JSON.stringify(pf, null, 2) + "\n";
  if (Deno.env.get("UPDATE_SNAPSHOTS") === "1" || !existsSync(SNAPSHOT)) {
    if (Deno.env.get("CI")) assert.fail("the port-forward tools snapshot is missing in CI");
    await Deno.writeTextFile(SNAPSHOT, actual);
  }
  assert.equal(actual, await Deno.readTextFile(SNAPSHOT));

  const start = pf.find((t) => t.name === "start_port_forward")!;
  assert.deepEqual([...(start.inputSchema.required ?? [])].sort(), ["namespace", "ports"]);
  const props = start.inputSchema.properties as Record<string, Record<string, unknown>>;
  for (const p of ["namespace", "pod", "service", "ports", "context"]) assert.ok(props[p], p);
  const item = (props.ports!.items ?? {}) as { required?: string[]; properties?: object };
  assert.deepEqual(item.required, ["pod_port"]);
  assert.deepEqual(Object.keys(item.properties ?? {}).sort(), ["local_port", "pod_port"]);
  // A tunnel is no read of the cluster, and no destruction either.
  assert.equal(start.annotations?.readOnlyHint, false);
  assert.equal(start.annotations?.destructiveHint, false);
  assert.equal(pf.find((t) => t.name === "list_port_forwards")!.annotations?.readOnlyHint, true);
  assert.match(instructions, /PORT FORWARDING: start_port_forward/);
});

Deno.test("port-forward tools: absent, and no instructions section, when not enabled", async () => {
  const { tools, instructions } = await listed(false);
  assert.ok(!tools.some((t) => PF.includes(t.name)));
  assert.ok(!instructions.includes("PORT FORWARDING"));
});
