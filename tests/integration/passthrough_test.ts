// --auth=passthrough against the real test cluster, over both HTTP transports, with the SDK's
// own clients and main.ts as a process: each caller's bearer token is its identity, RBAC
// decides what it sees, the audit log names it, and no token leaks anywhere.

import assert from "node:assert/strict";
import { Client, SSEClientTransport, StreamableHTTPClientTransport } from "../_helpers/sdk.ts";
import { type HttpServerProcess, startHttp } from "../_helpers/spawn_http.ts";
import { integration, seed, type TestEnv } from "../_helpers/testenv.ts";

const SA_NAMESPACE = "mcp-test";
const SA_NAME = "mcp-team-reader";
const SA_USER = `system:serviceaccount:${SA_NAMESPACE}:${SA_NAME}`;

/**
 * A bearer token that may read everything: a ServiceAccount bound to the seed's mcp-reader
 * ClusterRole, its token from the TokenRequest API (the testenv's reader is a certificate user).
 */
async function readerToken(env: TestEnv): Promise<string> {
  const admin = await env.client("admin");
  try {
    const put = async (path: string, body: unknown) => {
      const r = await admin.raw("POST", path, body);
      if (r.status !== 201 && r.status !== 409) throw new Error(`${path}: ${r.status} ${r.text}`);
    };
    await put(`/api/v1/namespaces/${SA_NAMESPACE}/serviceaccounts`, {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: SA_NAME },
    });
    await put("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: SA_NAME },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "mcp-reader" },
      subjects: [{ kind: "ServiceAccount", name: SA_NAME, namespace: SA_NAMESPACE }],
    });
    const tr = await admin.request(
      "POST",
      `/api/v1/namespaces/${SA_NAMESPACE}/serviceaccounts/${SA_NAME}/token`,
      {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds: 3600 },
      },
    );
    return tr.status.token as string;
  } finally {
    admin.close();
  }
}

function viewerToken(env: TestEnv): string {
  return env.state!.tokens["mcp-viewer"];
}

type Transport = "sse" | "streamable-http";

async function connect(server: HttpServerProcess, transport: Transport, token: string) {
  const headers = { Authorization: `Bearer ${token}` };
  const client = new Client({ name: "passthrough-test", version: "0" });
  await client.connect(
    transport === "sse"
      ? new SSEClientTransport(new URL(`${server.base}/sse`), {
        requestInit: { headers },
        eventSourceInit: {
          fetch: (url, init) =>
            fetch(url, { ...init, headers: { ...init?.headers as object, ...headers } }),
        },
      })
      : new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), {
        requestInit: { headers },
      }),
  );
  return client;
}

interface Called {
  text: string;
  isError: boolean;
}

async function call(client: Client, name: string, args: Record<string, unknown>): Promise<Called> {
  const r = await client.callTool({ name, arguments: args });
  const content = r.content as { type: string; text: string }[];
  return { text: content.map((c) => c.text).join("\n"), isError: r.isError === true };
}

const podsIn = (namespace: string) => ({ resource_type: "pods", namespace });

/** The value of one unlabelled (or exactly labelled) series in a /metrics text. */
function metric(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? NaN : Number(line.split(" ")[1]);
}

async function scrape(server: HttpServerProcess): Promise<string> {
  const r = await fetch(`${server.base}/metrics`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type") ?? "", /^text\/plain/);
  return await r.text();
}

for (const transport of ["streamable-http", "sse"] as const) {
  integration(
    `passthrough over ${transport}: each caller sees what its RBAC allows`,
    async (env) => {
      const reader = await readerToken(env);
      const viewer = viewerToken(env);
      const invalid = "not-a-real-token-" + crypto.randomUUID();
      const mark = await env.auditMark();
      const server = await startHttp(transport, [
        "--kubeconfig",
        env.kubeconfig,
        "--auth=passthrough",
      ]);
      const results: string[] = [];
      const clients: Client[] = [];
      const open = async (token: string) => {
        const c = await connect(server, transport, token);
        clients.push(c);
        return c;
      };
      const run = async (c: Client, name: string, args: Record<string, unknown>) => {
        const r = await call(c, name, args);
        results.push(r.text);
        return r;
      };
      try {
        // No token: 401 with WWW-Authenticate and a JSON-RPC error, before any tool.
        const path = transport === "sse" ? "/sse" : "/mcp";
        const bare = await fetch(`${server.base}${path}`, {
          method: transport === "sse" ? "GET" : "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: transport === "sse" ? undefined : JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "tools/call",
            params: { name: "list_resources", arguments: podsIn("team-a") },
          }),
        });
        assert.equal(bare.status, 401);
        assert.match(bare.headers.get("www-authenticate") ?? "", /^Bearer /);
        const body = await bare.json();
        assert.equal(body.jsonrpc, "2.0");
        assert.match(body.error.message, /Authorization: Bearer/);

        // Probes and /metrics need no token.
        assert.equal(await fetch(`${server.base}/healthz`).then((r) => r.text()), "ok\n");
        const ready = await fetch(`${server.base}/readyz`);
        assert.equal(ready.status, 200, await ready.text());
        const before = await scrape(server);
        assert.equal(metric(before, "mcp_kubernetes_ro_client_cache_size"), 0);

        const asViewer = await open(viewer);
        const asReader = await open(reader);

        // viewer: its namespace only; elsewhere a clear 403.
        const own = await run(asViewer, "list_resources", podsIn(seed.VIEWER_NAMESPACE));
        assert.equal(own.isError, false, own.text);
        const other = await run(asViewer, "list_resources", podsIn("mcp-test"));
        assert.equal(other.isError, true);
        assert.match(other.text, /403/);
        assert.match(other.text, /mcp-viewer/);

        // reader: every namespace.
        const all = await run(asReader, "list_resources", podsIn("*"));
        assert.equal(all.isError, false, all.text);
        for (const ns of ["mcp-test", "team-a", "team-b"]) assert.ok(all.text.includes(ns), ns);

        // list_contexts tells the truth; another context is refused before anything is sent.
        const contexts = JSON.parse((await run(asViewer, "list_contexts", {})).text);
        assert.equal(contexts.count, 1);
        assert.equal(contexts.contexts[0].name, seed.CURRENT_CONTEXT);
        assert.match(contexts.contexts[0].user, /bearer token/);
        const elsewhere = await run(asReader, "list_resources", {
          ...podsIn("mcp-test"),
          context: "admin",
        });
        assert.equal(elsewhere.isError, true);
        assert.match(elsewhere.text, /context "admin" is refused: with --auth=passthrough/);

        // Two users in parallel never see each other's results.
        const rounds = await Promise.all(
          Array.from({ length: 8 }, () => [
            call(asViewer, "list_resources", podsIn("mcp-test")),
            call(asReader, "list_resources", podsIn("mcp-test")),
            call(asViewer, "list_resources", { resource_type: "namespaces" }),
            call(asReader, "list_resources", { resource_type: "namespaces" }),
          ]).flat(),
        );
        for (let i = 0; i < rounds.length; i += 4) {
          const [vPods, rPods, vNs, rNs] = rounds.slice(i, i + 4) as [
            Called,
            Called,
            Called,
            Called,
          ];
          assert.equal(vPods.isError, true, "viewer never gets mcp-test pods");
          assert.equal(rPods.isError, false, "reader always does");
          assert.equal(vNs.isError, true, "viewer cannot list namespaces");
          assert.equal(rNs.isError, false);
          assert.ok(rNs.text.includes("team-b"));
          results.push(...[vPods, rPods, vNs, rNs].map((r) => r.text));
        }

        // An invalid token reaches the cluster and comes back as a clear 401 tool error.
        const asInvalid = await open(invalid);
        const rejected = await run(asInvalid, "list_resources", podsIn("team-a"));
        assert.equal(rejected.isError, true);
        assert.match(rejected.text, /Kubernetes API error 401 \(Unauthorized\)/);

        // Cache figures: one miss per distinct token, hits for every later call, no evictions.
        const after = await scrape(server);
        assert.equal(metric(after, "mcp_kubernetes_ro_client_cache_misses_total"), 3);
        assert.ok(metric(after, "mcp_kubernetes_ro_client_cache_hits_total") >= 35);
        assert.equal(metric(after, "mcp_kubernetes_ro_client_cache_size"), 3);
        assert.equal(
          metric(after, 'mcp_kubernetes_ro_client_cache_evictions_total{reason="lru"}'),
          0,
        );
        assert.ok(
          metric(after, 'mcp_kubernetes_ro_apiserver_requests_total{verb="list",code="403"}') >= 8,
        );
        assert.ok(
          metric(
            after,
            'mcp_kubernetes_ro_tool_calls_total{tool="list_resources",outcome="error"}',
          ) >= 17,
        );

        // The audit log names each caller on its own requests. (The server's own identity is not
        // checked: other tests' servers run as it in parallel, with the same User-Agent.)
        const viewerEvents = await env.auditEvents("mcp-viewer", {
          since: mark,
          userAgent: "mcp-kubernetes-ro",
        });
        assert.ok(
          viewerEvents.some((e) =>
            e.resource === "pods" && e.namespace === "team-a" && e.decision === "allow"
          ),
        );
        assert.ok(viewerEvents.some((e) => e.namespace === "mcp-test" && e.code === 403));
        const readerEvents = await env.auditEvents(SA_USER, {
          since: mark,
          userAgent: "mcp-kubernetes-ro",
        });
        assert.ok(readerEvents.some((e) => e.resource === "namespaces" && e.code === 200));
      } finally {
        await Promise.all(clients.map((c) => c.close()));
        await server.stop();
      }
      // No token in stderr or in any result.
      for (const token of [reader, viewer, invalid]) {
        assert.ok(!server.stderr().includes(token), "token in stderr");
        assert.ok(!results.some((r) => r.includes(token)), "token in a result");
      }
    },
  );
}

integration(
  "passthrough: an SSE session accepts posts only with the token that opened it",
  async (env) => {
    const server = await startHttp("sse", ["--kubeconfig", env.kubeconfig, "--auth=passthrough"]);
    try {
      const res = await fetch(`${server.base}/sse`, {
        headers: { Authorization: `Bearer ${viewerToken(env)}` },
      });
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let first = "";
      while (!first.includes("\n\n")) first += (await reader.read()).value ?? "";
      const endpoint = /data: (\S+)/.exec(first)![1]!;
      const post = await fetch(`${server.base}${endpoint}`, {
        method: "POST",
        headers: { Authorization: "Bearer someone-else", "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
      });
      assert.equal(post.status, 403);
      assert.match((await post.json()).error.message, /another bearer token/);
      await reader.cancel();
    } finally {
      await server.stop();
    }
  },
);

integration(
  "passthrough without credentials of its own checks only /version and /readyz",
  async (env) => {
    // The testenv kubeconfig with every user's credentials removed: the server has none.
    const dir = await Deno.makeTempDir();
    const text = await Deno.readTextFile(env.kubeconfig);
    const stripped = text.replace(
      /^users:\n[\s\S]*?(?=^contexts:)/m,
      `users:\n${
        Object.values(seed.CONTEXTS).map((c) => c.user)
          .filter((u, i, a) => a.indexOf(u) === i)
          .map((u) => `- name: ${u}\n  user: {}\n`).join("")
      }`,
    );
    assert.ok(!/token|client-key/.test(stripped), "no credentials left in the kubeconfig copy");
    await Deno.writeTextFile(`${dir}/kubeconfig`, stripped);
    const server = await startHttp("streamable-http", [
      "--kubeconfig",
      `${dir}/kubeconfig`,
      "--auth=passthrough",
    ]);
    try {
      const deadline = Date.now() + 20_000;
      while (
        !/reached only \/version and \/readyz/.test(server.stderr()) && Date.now() < deadline
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(server.stderr(), /no credentials of its own, so the check reached only/);
      const ready = await fetch(`${server.base}/readyz`);
      assert.equal(ready.status, 200, await ready.text());
      const client = await connect(server, "streamable-http", viewerToken(env));
      const own = await call(client, "list_resources", podsIn(seed.VIEWER_NAMESPACE));
      assert.equal(own.isError, false, own.text);
      await client.close();
    } finally {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
);
