// The printed role on the real test cluster: `main.ts --print-rbac` is applied with a fresh
// ServiceAccount, every enabled tool runs as that account (a TokenRequest token), and the audit
// log shows that nothing it needed was denied; with the secret tool disabled the printed role
// no longer reads Secrets (the API server then forbids it); with --enable-port-forwarding the
// printed `create` on pods/portforward opens a real tunnel. Also: the built-in types in
// src/rbac/needs.ts are the ones the test cluster serves.

import assert from "node:assert/strict";
import { join } from "node:path";
import type { CallToolResult } from "../../src/deps.ts";
import { loadKubeconfigParser } from "../../src/deps.ts";
import { KubeAccess } from "../../src/kube/access.ts";
import { BUILT_IN_TYPES } from "../../src/rbac/needs.ts";
import {
  connectInMemory,
  connectStdio,
  FROM_SOURCE,
  testConfig,
  text,
  type ToolCaller,
} from "../_helpers/connect.ts";
import { integration, seed, type TestEnv } from "../_helpers/testenv.ts";

// deno-lint-ignore no-explicit-any
type Obj = Record<string, any>;

const NS = seed.WEB_DEPLOYMENT.namespace;

async function printRbac(...flags: string[]): Promise<Obj[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...FROM_SOURCE, "--print-rbac", "--rbac-namespace", NS, ...flags],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const { yaml } = await loadKubeconfigParser();
  return (yaml.loadAll(new TextDecoder().decode(out.stdout)) as (Obj | null)[])
    .filter((o): o is Obj => !!o);
}

/** The printed objects under a name of this run's own (rules untouched). */
function renamed(objs: Obj[], name: string): Obj[] {
  return objs.map((o) => {
    const copy = structuredClone(o);
    copy.metadata.name = name;
    if (o.kind === "ClusterRoleBinding") {
      copy.roleRef.name = name;
      copy.subjects = [{ kind: "ServiceAccount", name, namespace: NS }];
    }
    return copy;
  });
}

const PATHS: Record<string, (name: string) => string> = {
  ServiceAccount: (n) => `/api/v1/namespaces/${NS}/serviceaccounts/${n}`,
  ClusterRole: (n) => `/apis/rbac.authorization.k8s.io/v1/clusterroles/${n}`,
  ClusterRoleBinding: (n) => `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${n}`,
};

async function kubeconfigFor(env: TestEnv, token: string, dir: string): Promise<string> {
  const ca = await Deno.readTextFile(env.state!.caCert);
  const path = join(dir, "kubeconfig");
  await Deno.writeTextFile(
    path,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      "current-context": "sa",
      clusters: [{
        name: "testenv",
        cluster: {
          server: env.state!.servers.main,
          "certificate-authority-data": btoa(ca),
        },
      }],
      users: [{ name: "sa", user: { token } }],
      contexts: [{ name: "sa", context: { cluster: "testenv", user: "sa", namespace: NS } }],
    }),
  );
  return path;
}

/** Every enabled tool, with arguments that make it read what it can read. */
function calls(): [string, Record<string, unknown>][] {
  const types = Object.entries(BUILT_IN_TYPES).flatMap(([group, names]) =>
    names.map((n) => group ? `${n}.${group}` : n)
  );
  return [
    ["list_api_resources", {}],
    ["list_contexts", {}],
    ...types.map((t): [string, Record<string, unknown>] => [
      "list_resources",
      { resource_type: t, namespace: "*", limit: 5 },
    ]),
    ["list_resources", { resource_type: "events", namespace: NS, limit: 5 }],
    ["get_resource", { resource_type: "pods", name: seed.POD.web1, namespace: NS }],
    ["get_resource", { resource_type: "secrets", name: "mcp-opaque", namespace: NS }],
    ["describe_resource", { resource_type: "pods", name: seed.POD.web1, namespace: NS }],
    ["describe_resource", { resource_type: "deployments", name: "web", namespace: NS }],
    ["get_logs", { name: seed.POD.worker, namespace: NS, previous: true, max_lines: 5 }],
    ["get_logs", { label_selector: "app=web", namespace: NS, max_lines: 5 }],
    ["get_pod_containers", { name: seed.POD.web1, namespace: NS }],
    ["get_node_metrics", {}],
    ["get_pod_metrics", { namespace: NS }],
    ["get_pod_metrics", { namespace: NS, pod_name: seed.POD.web1 }],
    ["get_cluster_health", {}],
    ["encode_base64", { data: "x" }],
    ["decode_base64", { data: "eA==" }],
    ["save_secret_to_file", { name: "mcp-opaque", key: "password", namespace: NS }],
  ];
}

interface Printed {
  admin: Awaited<ReturnType<TestEnv["client"]>>;
  name: string;
  /** The ServiceAccount's user name in the audit log. */
  user: string;
  /** Objects as printed (renamed to this run's name). */
  objs: Obj[];
  /** A kubeconfig whose one context acts as the ServiceAccount. */
  kubeconfig: string;
}

/** Prints the role with `flags`, applies it under a fresh name with a new ServiceAccount, runs
 * `fn` with a kubeconfig acting as that account, and deletes everything afterwards. */
async function withPrintedRole(
  env: TestEnv,
  flags: string[],
  fn: (p: Printed) => Promise<void>,
): Promise<void> {
  const admin = await env.client("admin");
  const name = `mcp-rbac-test-${crypto.randomUUID().slice(0, 8)}`;
  const dir = await Deno.makeTempDir();
  const objs = renamed(await printRbac(...flags), name);
  assert.deepEqual(objs.map((o) => o.kind), [
    "ServiceAccount",
    "ClusterRole",
    "ClusterRoleBinding",
  ]);
  const created: string[] = [];
  try {
    for (const o of objs) {
      const path = PATHS[o.kind]!(name);
      await admin.create(path.slice(0, path.lastIndexOf("/")), o);
      created.unshift(path);
    }
    const token = (await admin.create(
      `/api/v1/namespaces/${NS}/serviceaccounts/${name}/token`,
      {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds: 600 },
      },
    )).status.token as string;
    const kubeconfig = await kubeconfigFor(env, token, dir);
    await fn({ admin, name, user: `system:serviceaccount:${NS}:${name}`, objs, kubeconfig });
  } finally {
    for (const path of created) await admin.raw("DELETE", path);
    admin.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** The binding reaches the API server's RBAC cache within moments: wait for it first. */
async function bindingTakesEffect(client: ToolCaller): Promise<void> {
  for (let i = 0;; i++) {
    const r = await client.callTool({
      name: "list_resources",
      arguments: { resource_type: "nodes" },
    }) as CallToolResult;
    if (!r.isError) return;
    assert.ok(i < 40, `the binding never took effect: ${text(r)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

integration(
  "the printed role lets every enabled tool read what it needs, and no more",
  (env) =>
    withPrintedRole(env, [], async ({ admin, name, user, kubeconfig }) => {
      const { client, close } = await connectInMemory(testConfig({ kubeconfig }));
      try {
        await bindingTakesEffect(client);
        const { tools } = await client.listTools();
        const planned = calls();
        assert.deepEqual(
          [...new Set(planned.map(([t]) => t))].sort(),
          tools.map((t) => t.name).sort(),
          "every enabled tool runs",
        );
        const mark = await env.auditMark();
        for (const [tool, args] of planned) {
          const r = await client.callTool({ name: tool, arguments: args }) as CallToolResult;
          assert.ok(!r.isError, `${tool} ${JSON.stringify(args)}: ${text(r)}`);
          if (tool === "save_secret_to_file") {
            const path = (r.structuredContent as { path: string }).path;
            await Deno.remove(path.slice(0, path.lastIndexOf("/")), { recursive: true });
          }
        }
        const events = await env.auditEvents(user, { since: mark, timeoutMs: 5000 });
        const summary = events.map((e) =>
          `${e.verb} ${e.apiGroup}/${e.resource}${e.subresource ? "/" + e.subresource : ""}`
        );
        for (const need of ["get /pods/log", "list metrics.k8s.io/nodes", "get /secrets"]) {
          assert.ok(summary.includes(need), `the tools ran as the account: ${need}`);
        }
        const denied = events.filter((e) => e.decision === "forbid" || e.code === 403);
        assert.deepEqual(denied.map((e) => `${e.verb} ${e.requestURI}`), [], "nothing denied");
        for (const e of events) {
          assert.ok(["get", "list", "watch"].includes(e.verb), `${e.verb} ${e.requestURI}`);
        }

        // With the secret tool off, the printed role leaves Secrets out: the API server refuses.
        const narrower = renamed(await printRbac("--disabled-tools", "save_secret_to_file"), name)
          .find((o) => o.kind === "ClusterRole")!;
        const current = await admin.get(PATHS.ClusterRole!(name));
        await admin.request("PUT", PATHS.ClusterRole!(name), {
          ...narrower,
          metadata: { ...narrower.metadata, resourceVersion: current.metadata.resourceVersion },
        });
        for (let i = 0;; i++) {
          const r = await client.callTool({
            name: "get_resource",
            arguments: { resource_type: "secrets", name: "mcp-opaque", namespace: NS },
          }) as CallToolResult;
          if (r.isError) {
            assert.match(text(r), /403 \(Forbidden\)/);
            break;
          }
          assert.ok(i < 40, "Secrets stay readable after the role dropped them");
          await new Promise((r) => setTimeout(r, 250));
        }
      } finally {
        await close();
      }
    }),
);

integration(
  "the printed role with --enable-port-forwarding opens a tunnel with create alone",
  (env) =>
    withPrintedRole(env, ["--enable-port-forwarding"], async ({ user, objs, kubeconfig }) => {
      const role = objs.find((o) => o.kind === "ClusterRole")!;
      const tunnelRules = (role.rules as Obj[]).filter((r) =>
        r.resources.includes("pods/portforward")
      );
      assert.deepEqual(tunnelRules.map((r) => [r.resources, r.verbs]), [[
        ["pods/portforward"],
        ["create"],
      ]]);
      const server = await connectStdio(["--kubeconfig", kubeconfig, "--enable-port-forwarding"]);
      try {
        await bindingTakesEffect(server.client);
        const mark = await env.auditMark();
        const r = await server.client.callTool({
          name: "start_port_forward",
          arguments: {
            namespace: NS,
            pod: seed.POD.web1,
            ports: [{ pod_port: seed.WEB_HTTP_PORT.containerPort }],
          },
        }) as CallToolResult;
        assert.ok(!r.isError, text(r));
        const started = r.structuredContent as { id: string; ports: { local_port: number }[] };
        const got = await fetch(`http://127.0.0.1:${started.ports[0]!.local_port}/`, {
          signal: AbortSignal.timeout(10_000),
        });
        assert.equal(await got.text(), seed.POD.web1, "the bytes went through the tunnel");
        const stop = await server.client.callTool({
          name: "stop_port_forward",
          arguments: { id: started.id },
        }) as CallToolResult;
        assert.ok(!stop.isError, text(stop));
        const events = await env.auditEvents(user, { since: mark, timeoutMs: 5000 });
        assert.ok(
          events.some((e) =>
            e.verb === "create" && e.subresource === "portforward" && e.code === 101
          ),
          "the account opened the tunnel",
        );
        const denied = events.filter((e) => e.decision === "forbid" || e.code === 403);
        assert.deepEqual(denied.map((e) => `${e.verb} ${e.requestURI}`), [], "nothing denied");
      } finally {
        await server.close();
      }
    }),
);

integration("needs.ts names every built-in type the test cluster serves", async (env) => {
  const kube = new KubeAccess(testConfig({ kubeconfig: env.kubeconfig }));
  const { resources } = await (await kube.client("admin")).apiResources();
  const crdGroups = new Set(
    resources.filter((r) => r.group.endsWith("example.com")).map((r) => r.group),
  );
  const served = resources
    .filter((r) => !crdGroups.has(r.group) && (r.verbs.includes("get") || r.verbs.includes("list")))
    .filter((r) => !(r.group === "" && r.name === "secrets"))
    .map((r) => `${r.group}/${r.name}`);
  const named = new Set(
    Object.entries(BUILT_IN_TYPES).flatMap(([g, names]) => names.map((n) => `${g}/${n}`)),
  );
  assert.deepEqual(served.filter((s) => !named.has(s)), [], "served but not in needs.ts");
  assert.ok(served.length > 50);
});
