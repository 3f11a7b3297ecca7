// Defence in depth in the Kubernetes layer, below the tools' own argument checks: a path with dot
// segments or encoded slashes is never sent, and a final path that reaches a disabled type is
// refused even when the type it was built from is allowed. The audit log must show no request.

import assert from "node:assert/strict";
import { testConfig } from "../_helpers/connect.ts";
import { ownReader } from "../_helpers/own_reader.ts";
import { integration, type TestEnv } from "../_helpers/testenv.ts";
import { KubeAccess } from "../../src/kube/access.ts";
import { PathError, ResourceDisabledError } from "../../src/kube/errors.ts";

/** An identity of the test's own: other tests (and the bench) read as mcp-reader in parallel. */
async function withOwnReader(
  env: TestEnv,
  label: string,
  fn: (kubeconfig: string, user: string) => Promise<void>,
): Promise<void> {
  const reader = await ownReader(env, label);
  try {
    await fn(reader.kubeconfig, reader.user);
  } finally {
    await reader.cleanup();
  }
}

integration(
  "dot segments and encoded slashes never leave the process",
  (env) =>
    withOwnReader(env, "kpaths", async (kubeconfig, user) => {
      const kube = new KubeAccess(testConfig({ kubeconfig }));
      const client = await kube.client();
      const pods = await client.resolve("pods", undefined);
      const namespaces = await client.resolve("namespaces", undefined);
      const mark = await env.auditMark();
      const cases: [string, Promise<unknown>][] = [
        ["namespace ..", client.list({ resource: pods, namespace: ".." })],
        ["name ..", client.get({ resource: pods, namespace: "mcp-test", name: ".." })],
        ["name .", client.get({ resource: pods, namespace: "mcp-test", name: "." })],
        ["namespace . name ..", client.get({ resource: pods, namespace: ".", name: ".." })],
        ["namespace name ..", client.get({ resource: namespaces, name: ".." })],
        ["slash in a name", client.get({ resource: pods, namespace: "mcp-test", name: "a/.." })],
        ["slash in a namespace", client.list({ resource: pods, namespace: "kube-system/../x" })],
        ["log of ..", client.logs({ namespace: "..", name: ".." })],
      ];
      for (const [what, p] of cases) await assert.rejects(p, PathError, what);
      const seen = await env.auditSummary(user, { since: mark });
      assert.deepEqual(seen, []);
    }),
);

integration(
  "a final path that reaches a disabled type is refused before it is sent",
  (env) =>
    withOwnReader(env, "kblocked", async (kubeconfig, user) => {
      const kube = new KubeAccess(testConfig({ kubeconfig, disabledResources: ["secrets"] }));
      const client = await kube.client();
      const pods = await client.resolve("pods", undefined);
      const mark = await env.auditMark();
      // A resource record whose name smuggles a path: the type check sees "namespaces/x/secrets",
      // which is not disabled; the final path reaches secrets, which is.
      const smuggled = { ...pods, name: "namespaces/mcp-test/secrets", namespaced: false };
      await assert.rejects(client.list({ resource: smuggled }), ResourceDisabledError);
      await assert.rejects(
        client.get({ resource: smuggled, name: "anything" }),
        ResourceDisabledError,
      );
      assert.deepEqual(await env.auditSummary(user, { since: mark }), []);
      // The same client still reads what is allowed.
      const list = await client.list({ resource: pods, namespace: "mcp-test", limit: 1 });
      assert.equal(list.items.length, 1);
    }),
);
