// Runs after the rest of the suite (see the test task in deno.json): every request the MCP
// server made to the test cluster, as recorded by kube-apiserver's own audit log, was a read.

import assert from "node:assert/strict";
import { integration } from "../_helpers/testenv.ts";

const READ_VERBS = new Set(["get", "list", "watch"]);
const NEVER = new Set(["exec", "attach", "portforward", "proxy"]);

integration("audit log: the server's identity only issued get, list and watch", async (env) => {
  let total = 0;
  for (const cluster of ["main", "nometrics"] as const) {
    const events = await env.auditEvents("mcp-reader", {
      cluster,
      userAgent: "mcp-kubernetes-ro/",
    });
    total += events.length;
    const writes = events.filter((e) => !READ_VERBS.has(e.verb) || NEVER.has(e.subresource ?? ""));
    assert.deepEqual(
      writes.map((e) => `${e.verb} ${e.requestURI}`),
      [],
      `${cluster}: requests that are not reads`,
    );
    const verbs = new Set(events.map((e) => e.verb));
    assert.ok(verbs.has("get") && verbs.has("list") || cluster === "nometrics", [...verbs].join());
  }
  // The suite before this test made hundreds of requests through the server; an empty log
  // would make the check above meaningless.
  assert.ok(total > 100, `only ${total} audited requests from the server`);
});

integration(
  "audit log: passthrough callers' tokens, through the server, only read",
  async (env) => {
    // tests/integration/passthrough_test.ts calls as the viewer and as a ServiceAccount.
    for (const user of ["mcp-viewer", "system:serviceaccount:mcp-test:mcp-team-reader"]) {
      const events = await env.auditEvents(user, { userAgent: "mcp-kubernetes-ro/" });
      const writes = events.filter((e) =>
        !READ_VERBS.has(e.verb) || NEVER.has(e.subresource ?? "")
      );
      assert.deepEqual(writes.map((e) => `${e.verb} ${e.requestURI}`), [], user);
    }
  },
);
