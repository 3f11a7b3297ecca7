// Runs after the rest of the suite (see the test task in deno.json): every request the MCP
// server made to the test cluster, as recorded by kube-apiserver's own audit log, was a read.

import assert from "node:assert/strict";
import { integration } from "../_helpers/testenv.ts";

const READ_VERBS = new Set(["get", "list", "watch"]);
const NEVER = new Set(["exec", "attach", "portforward", "proxy"]);

/** Who may open tunnels: the users tests/integration/port_forward_test.ts runs as. */
const FORWARDERS = new Set(["mcp-forwarder", "mcp-forwarder-2"]);
/** Plus admin: port_forward_test.ts opens one tunnel with its client certificate. */
const TUNNEL_USERS = new Set([...FORWARDERS, "mcp-admin"]);
/** Users whose refused (403) tunnel attempts port_forward_test.ts makes on purpose. */
const REFUSED_BY_DESIGN = new Set(["mcp-reader", "mcp-viewer"]);

/**
 * The one non-read the server's own user is expected to have sent: port_forward_test.ts proves
 * that reader (no pods/portforward) gets a 403, so the API server refused it; nothing happened.
 * It proves the same for a passthrough caller's token with the viewer's.
 */
const refusedTunnel = (e: { verb: string; subresource?: string; code?: number }) =>
  e.verb === "create" && e.subresource === "portforward" && e.code === 403;

integration("audit log: the server's identity only issued get, list and watch", async (env) => {
  let total = 0;
  for (const cluster of ["main", "nometrics"] as const) {
    const events = await env.auditEvents("mcp-reader", {
      cluster,
      userAgent: "mcp-kubernetes-ro/",
    });
    total += events.length;
    const writes = events.filter((e) =>
      (!READ_VERBS.has(e.verb) || NEVER.has(e.subresource ?? "")) && !refusedTunnel(e)
    );
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
      // Except the viewer's refused tunnel (port_forward_test.ts): nothing happened.
      const writes = events.filter((e) =>
        (!READ_VERBS.has(e.verb) || NEVER.has(e.subresource ?? "")) &&
        !(REFUSED_BY_DESIGN.has(user) && refusedTunnel(e))
      );
      assert.deepEqual(writes.map((e) => `${e.verb} ${e.requestURI}`), [], user);
    }
  },
);

integration(
  "audit log: no portforward request but from the port-forward tests (the only ones with the flag)",
  async (env) => {
    let tunnels = 0;
    for (const cluster of ["main", "nometrics"] as const) {
      // Every user the suite's servers act as: their own (reader), passthrough callers, and the
      // test users of the contexts the tools' `context` parameter reaches.
      const users = new Set([
        ...Object.values(env.contexts).map((c) => c.user as string),
        "system:serviceaccount:mcp-test:mcp-team-reader",
      ]);
      for (const user of users) {
        const events = await env.auditEvents(user, { cluster, userAgent: "mcp-kubernetes-ro/" });
        const forwards = events.filter((e) => e.subresource === "portforward");
        if (TUNNEL_USERS.has(user)) {
          tunnels += forwards.filter((e) => e.code === 101).length;
          continue;
        }
        assert.deepEqual(
          forwards.filter((e) => !(REFUSED_BY_DESIGN.has(user) && refusedTunnel(e)))
            .map((e) => `${e.verb} ${e.requestURI} ${e.code}`),
          [],
          `${cluster}: ${user} sent portforward requests; only servers started with ` +
            `--enable-port-forwarding may (port_forward_test.ts, as the forwarder users)`,
        );
      }
    }
    assert.ok(
      tunnels > 0,
      "the port-forward tests opened no tunnel: the check above proves little",
    );
  },
);

integration(
  "audit log: with port forwarding on, create pods/portforward is the only request beyond get and list",
  async (env) => {
    for (const user of FORWARDERS) {
      const events = await env.auditEvents(user, { userAgent: "mcp-kubernetes-ro/" });
      assert.ok(events.length > 0, `no requests from ${user}: did port_forward_test.ts run?`);
      const other = events.filter((e) =>
        !(e.verb === "get" || e.verb === "list") &&
        !(e.verb === "create" && e.subresource === "portforward" && e.resource === "pods")
      );
      assert.deepEqual(other.map((e) => `${e.verb} ${e.requestURI}`), [], user);
      assert.ok(
        events.some((e) => e.verb === "create" && e.subresource === "portforward"),
        `${user} opened no tunnel`,
      );
    }
  },
);
