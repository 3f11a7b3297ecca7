// Port forwarding end to end: the real server (spawned), the real kube-apiserver (RBAC, audit,
// the pods/portforward proxy), and the testenv's fake kubelet, which serves the kubelet's own
// streaming library and gives every declared containerPort a loopback HTTP server answering
// its pod's name. A GET through the local port therefore proves the bytes went through the
// right tunnel to the right pod.

import assert from "node:assert/strict";
import { type Connected, connectStdio, FROM_SOURCE } from "../_helpers/connect.ts";
import { Client, StreamableHTTPClientTransport } from "../_helpers/sdk.ts";
import { type HttpServerProcess, startHttp } from "../_helpers/spawn_http.ts";
import { connectProxy } from "../_helpers/connect_proxy.ts";
import { execUser, kubeconfigWith, script } from "../_helpers/kubeconfig_variant.ts";
import { integration, seed, type TestEnv } from "../_helpers/testenv.ts";

const NS = "mcp-test";
const WEB1 = seed.POD.web1;
const WEB_PORT = seed.WEB_HTTP_PORT.containerPort;
/** Every positive call runs as this user: reads, plus create on pods/portforward. */
const AS = { context: "forwarder" };

interface Called {
  text: string;
  isError: boolean;
  // deno-lint-ignore no-explicit-any
  json: any;
}

type Caller = Pick<Client, "callTool">;

async function call(client: Caller, name: string, args: Record<string, unknown>): Promise<Called> {
  const r = await client.callTool({ name, arguments: args });
  const text = (r.content as { type: string; text: string }[]).map((c) => c.text).join("\n");
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { text, isError: r.isError === true, json };
}

async function ok(client: Caller, name: string, args: Record<string, unknown>) {
  const r = await call(client, name, args);
  assert.equal(r.isError, false, `${name} failed: ${r.text}`);
  return r.json;
}

async function fails(client: Caller, name: string, args: Record<string, unknown>) {
  const r = await call(client, name, args);
  assert.equal(r.isError, true, `${name} should fail: ${r.text}`);
  return r.text;
}

async function httpGet(port: number): Promise<{ status: number; body: string }> {
  const r = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(10_000) });
  return { status: r.status, body: await r.text() };
}

/** GET / on a connection of its own; whatever comes back before the close. */
async function rawGet(port: number): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode("GET / HTTP/1.0\r\nHost: pod\r\n\r\n"));
  const timer = setTimeout(() => conn.close(), 10_000);
  try {
    return await new Response(conn.readable).text();
  } finally {
    clearTimeout(timer);
  }
}

/** True when nothing listens on 127.0.0.1:port any more. */
async function refused(port: number): Promise<boolean> {
  try {
    const c = await Deno.connect({ hostname: "127.0.0.1", port });
    c.close();
    return false;
  } catch (e) {
    return e instanceof Deno.errors.ConnectionRefused;
  }
}

function hasIpv6Loopback(): boolean {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
}

/** The host's addresses that are not loopback (IPv4, and IPv6 other than link-local). */
function otherAddresses(): string[] {
  return Deno.networkInterfaces()
    .filter((i) => !/^127\.|^::1$|^fe80:/i.test(i.address))
    .map((i) => i.address);
}

async function refusedAt(hostname: string, port: number): Promise<boolean> {
  try {
    const c = await Deno.connect({ hostname, port });
    c.close();
    return false;
  } catch (e) {
    return e instanceof Deno.errors.ConnectionRefused;
  }
}

/** Polls `fn` every 200 ms until it returns a value, at most `ms`. */
async function eventually<T>(
  what: string,
  ms: number,
  fn: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms / 1000}s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stdioServer(
  env: TestEnv,
  flags: string[] = [],
): Promise<Connected & { stderr: () => string }> {
  return await connectStdio(["--kubeconfig", env.kubeconfig, "--enable-port-forwarding", ...flags]);
}

integration("port forwarding: to a pod and to a Service, list, stop", async (env) => {
  const server = await stdioServer(env);
  try {
    const pod = await ok(server.client, "start_port_forward", {
      namespace: NS,
      pod: WEB1,
      ports: [{ pod_port: WEB_PORT }],
      ...AS,
    });
    assert.match(pod.id, /^pf-\d+$/);
    assert.equal(pod.pod, WEB1);
    assert.equal(pod.namespace, NS);
    assert.equal(pod.context, "forwarder");
    assert.equal(pod.ports.length, 1);
    assert.equal(pod.ports[0].pod_port, WEB_PORT);
    // RFC 3339 with the local offset, as the Go server's time.Time.
    assert.match(pod.started_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/);
    const podPort = pod.ports[0].local_port;
    assert.deepEqual(await httpGet(podPort), { status: 200, body: WEB1 });
    // Loopback only: ::1 too when the host has IPv6, never another address of the host.
    if (hasIpv6Loopback()) {
      const r = await fetch(`http://[::1]:${podPort}/`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(await r.text(), WEB1);
    }
    for (const address of otherAddresses()) {
      assert.ok(await refusedAt(address, podPort), `nothing listens on ${address}:${podPort}`);
    }

    // Service web: port 80 ("http") targets the named container port of its pods.
    const svc = await ok(server.client, "start_port_forward", {
      namespace: NS,
      service: "web",
      ports: [{ pod_port: 80 }],
      ...AS,
    });
    assert.equal(svc.service, "web");
    assert.ok([seed.POD.web1, seed.POD.web2].includes(svc.pod), svc.pod);
    assert.deepEqual(svc.ports[0].service_port, 80);
    assert.deepEqual(svc.ports[0].pod_port, WEB_PORT);
    const svcPort = svc.ports[0].local_port;
    assert.deepEqual(await httpGet(svcPort), { status: 200, body: svc.pod });

    const list = await ok(server.client, "list_port_forwards", {});
    assert.equal(list.count, 2);
    const ids = list.port_forwards.map((e: { id: string }) => e.id).sort();
    assert.deepEqual(ids, [pod.id, svc.id].sort());
    for (const e of list.port_forwards) {
      assert.equal(e.status, "active");
      assert.ok(e.bytes_in > 0 && e.bytes_out > 0, JSON.stringify(e));
      assert.ok(Date.parse(e.last_used) >= Date.parse(e.started_at) - 1000, JSON.stringify(e));
    }

    assert.deepEqual(await ok(server.client, "stop_port_forward", { id: pod.id }), {
      id: pod.id,
      stopped: true,
    });
    assert.ok(await refused(podPort), "the stopped forward's local port is closed");
    assert.deepEqual(await httpGet(svcPort), { status: 200, body: svc.pod });
    assert.equal(
      await fails(server.client, "stop_port_forward", { id: pod.id }),
      `failed to stop port forward: port forward "${pod.id}" not found`,
    );
    assert.equal((await ok(server.client, "list_port_forwards", {})).count, 1);
  } finally {
    await server.close();
  }
});

integration(
  "port forwarding: the reference's errors, and a user without the right",
  async (env) => {
    const server = await stdioServer(env);
    try {
      const first = await ok(server.client, "start_port_forward", {
        namespace: NS,
        pod: WEB1,
        ports: [{ pod_port: WEB_PORT }],
        ...AS,
      });
      const busy = first.ports[0].local_port;
      assert.equal(
        await fails(server.client, "start_port_forward", {
          namespace: NS,
          pod: WEB1,
          ports: [{ pod_port: WEB_PORT, local_port: busy }],
          ...AS,
        }),
        "failed to start port forward: port forwarding failed to start: unable to listen on any " +
          `of the requested ports: [{${busy} ${WEB_PORT}}]`,
      );
      assert.match(
        await fails(server.client, "start_port_forward", {
          namespace: NS,
          pod: "no-such-pod",
          ports: [{ pod_port: 80 }],
          ...AS,
        }),
        /^failed to start port forward: port forwarding failed to start: error upgrading connection: pods "no-such-pod" not found/,
      );
      assert.equal(
        await fails(server.client, "start_port_forward", {
          namespace: NS,
          pod: WEB1,
          ports: [{ pod_port: 8080 }, { pod_port: 70000 }],
        }),
        "ports[1]: pod_port must be between 1 and 65535, got 70000",
      );
      assert.equal(
        await fails(server.client, "start_port_forward", {
          namespace: NS,
          pod: WEB1,
          ports: [{ pod_port: 80, local_port: -1 }],
        }),
        "ports[0]: local_port must be between 0 and 65535, got -1",
      );
      assert.equal(
        await fails(server.client, "start_port_forward", { namespace: NS, pod: WEB1, ports: [] }),
        "at least one port mapping is required",
      );
      assert.equal(
        await fails(server.client, "start_port_forward", { namespace: "", pod: WEB1, ports: [] }),
        "namespace is required",
      );
      assert.equal(
        await fails(server.client, "start_port_forward", { namespace: NS, pod: "", ports: [] }),
        "pod name is required",
      );
      assert.equal(
        await fails(server.client, "stop_port_forward", { id: "" }),
        "port forward id is required",
      );

      // The server's own user (reader: get/list/watch on everything) may not create the tunnel.
      const denied = await fails(server.client, "start_port_forward", {
        namespace: NS,
        pod: WEB1,
        ports: [{ pod_port: WEB_PORT }],
      });
      assert.match(
        denied,
        /error upgrading connection: pods "web-7d4b9c8f6d-x2x7k" is forbidden: User "mcp-reader" cannot create resource "pods\/portforward"/,
      );
      assert.match(denied, /needs RBAC permission to create pods\/portforward/);

      // A port the pod does not declare is refused by the "runtime"; the session says so.
      const closed = await ok(server.client, "start_port_forward", {
        namespace: NS,
        pod: WEB1,
        ports: [{ pod_port: 9 }],
        ...AS,
      });
      await assert.rejects(httpGet(closed.ports[0].local_port));
      const entry = await eventually("last_error", 10_000, async () => {
        const l = await ok(server.client, "list_port_forwards", {});
        return l.port_forwards.find((e: { id: string; last_error?: string }) =>
          e.id === closed.id && e.last_error
        );
      });
      assert.match(
        entry.last_error,
        /error forwarding port 9 to pod web-7d4b9c8f6d-x2x7k.*connection refused/,
      );
      assert.equal(entry.status, "active", "a refused connection does not end the tunnel");
    } finally {
      await server.close();
    }
  },
);

integration(
  "port forwarding: a pod deleted mid-tunnel ends the session, which says why",
  async (env) => {
    const admin = await env.client("admin");
    // team-b: a namespace whose pods no other test counts; the pod lives a few seconds.
    const ns = "team-b";
    const name = `pf-doomed-${crypto.randomUUID().slice(0, 8)}`;
    const path = `/api/v1/namespaces/${ns}/pods`;
    const server = await stdioServer(env);
    try {
      await admin.request("POST", path, {
        metadata: { name, labels: { app: "pf-doomed" } },
        spec: {
          nodeName: "fake-node-1",
          containers: [{ name: "app", image: "nginx:1.27.3", ports: [{ containerPort: 8080 }] }],
        },
      });
      await admin.request(
        "PATCH",
        `${path}/${name}/status`,
        { status: { phase: "Running", startTime: new Date().toISOString() } },
        "application/merge-patch+json",
      );
      const started = await ok(server.client, "start_port_forward", {
        namespace: ns,
        pod: name,
        ports: [{ pod_port: 8080 }],
        ...AS,
      });
      const port = started.ports[0].local_port;
      assert.deepEqual(await httpGet(port), { status: 200, body: name });

      await admin.request("DELETE", `${path}/${name}?gracePeriodSeconds=0`);
      // A new connection after the deletion (fetch would reuse its kept-alive one): the kubelet
      // cannot reach the pod, which makes the session check it at once (else the 5 s check does).
      await rawGet(port).catch(() => {});
      const ended = await eventually("the session ends", 15_000, async () => {
        const l = await ok(server.client, "list_port_forwards", {});
        return l.port_forwards.find((e: { id: string; status: string }) =>
          e.id === started.id && e.status === "ended"
        );
      });
      assert.equal(ended.ended_reason, `pod ${ns}/${name} was deleted`);
      // A session that ends by itself closes its ports as it ends, not before the list says so.
      await eventually(
        "the ended session's local port closes",
        5_000,
        async () => (await refused(port)) || undefined,
      );
      // It stays listed until stopped; stopping forgets it.
      await ok(server.client, "stop_port_forward", { id: started.id });
      assert.equal((await ok(server.client, "list_port_forwards", {})).count, 0);
    } finally {
      await admin.raw("DELETE", `${path}/${name}?gracePeriodSeconds=0`).catch(() => {});
      admin.close();
      await server.close();
    }
  },
);

integration("port forwarding: at most N sessions, and an idle session closes", async (env) => {
  const server = await stdioServer(env, [
    "--port-forward-max-sessions=2",
    "--port-forward-idle-timeout=2s",
  ]);
  const start = () =>
    call(server.client, "start_port_forward", {
      namespace: NS,
      pod: WEB1,
      ports: [{ pod_port: WEB_PORT }],
      ...AS,
    });
  try {
    const a = await start(), b = await start(), c = await start();
    assert.equal(a.isError || b.isError, false, a.text + b.text);
    assert.equal(c.isError, true);
    assert.match(
      c.text,
      /^failed to start port forward: 2 port-forward sessions are open, the most this server allows \(--port-forward-max-sessions\)/,
    );

    // Nobody connects: both end after about 2 s, and say why.
    const ended = await eventually("idle sessions end", 10_000, async () => {
      const l = await ok(server.client, "list_port_forwards", {});
      const done = l.port_forwards.filter((e: { status: string }) => e.status === "ended");
      return done.length === 2 ? done : undefined;
    });
    for (const e of ended) assert.match(e.ended_reason, /^idle: no traffic for 2s/);
    await eventually(
      "the idle session's local port closes",
      5_000,
      async () => (await refused(a.json.ports[0].local_port)) || undefined,
    );
    // Ended sessions do not count against the cap; starts in flight at once do.
    const together = await Promise.all([start(), start(), start()]);
    assert.deepEqual(together.map((r) => r.isError).sort(), [false, false, true]);
  } finally {
    await server.close();
  }
});

async function httpClient(server: HttpServerProcess, token?: string): Promise<Client> {
  const client = new Client({ name: "pf-test", version: "0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`), {
      requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : {},
    }),
  );
  return client;
}

integration(
  "port forwarding: SIGTERM closes every tunnel, then the server exits 0",
  async (env) => {
    const server = await startHttp("streamable-http", [
      "--kubeconfig",
      env.kubeconfig,
      "--enable-port-forwarding",
    ]);
    let ports: number[] = [];
    try {
      const client = await httpClient(server);
      for (const pod of [seed.POD.web1, seed.POD.web2]) {
        const r = await ok(client, "start_port_forward", {
          namespace: NS,
          pod,
          ports: [{ pod_port: WEB_PORT }],
          ...AS,
        });
        ports.push(r.ports[0].local_port);
      }
      assert.deepEqual((await httpGet(ports[1]!)).body, seed.POD.web2);
      await client.close();
    } finally {
      const code = await server.stop("SIGTERM");
      assert.equal(code, 0, server.stderr());
    }
    assert.match(server.stderr(), /WARNING: Port forwarding with streamable-http mode —/);
    assert.match(server.stderr(), /Shutting down, stopping all port forwards\.\.\./);
    for (const port of ports) assert.ok(await refused(port), `port ${port} closed after SIGTERM`);
    ports = [];
  },
);

integration("port forwarding, passthrough: a tunnel belongs to its caller's token", async (env) => {
  const server = await startHttp("streamable-http", [
    "--kubeconfig",
    env.kubeconfig,
    "--auth=passthrough",
    "--enable-port-forwarding",
  ]);
  const tokens = env.state!.tokens as unknown as Record<string, string>;
  const one = await httpClient(server, tokens["mcp-forwarder"]);
  const two = await httpClient(server, tokens["mcp-forwarder-2"]);
  try {
    const a = await ok(one, "start_port_forward", {
      namespace: NS,
      pod: WEB1,
      ports: [{ pod_port: WEB_PORT }],
    });
    const b = await ok(two, "start_port_forward", {
      namespace: NS,
      pod: seed.POD.web2,
      ports: [{ pod_port: WEB_PORT }],
    });
    // A token without create on pods/portforward: the API server's 403, as a clear tool error.
    const viewer = await httpClient(server, tokens["mcp-viewer"]);
    try {
      const denied = await fails(viewer, "start_port_forward", {
        namespace: NS,
        pod: WEB1,
        ports: [{ pod_port: WEB_PORT }],
      });
      assert.match(denied, /User "mcp-viewer" cannot create resource "pods\/portforward"/);
      assert.match(denied, /needs RBAC permission to create pods\/portforward/);
    } finally {
      await viewer.close();
    }
    const mine = (l: { port_forwards: { id: string }[] }) => l.port_forwards.map((e) => e.id);
    assert.deepEqual(mine(await ok(one, "list_port_forwards", {})), [a.id]);
    assert.deepEqual(mine(await ok(two, "list_port_forwards", {})), [b.id]);
    assert.equal(
      await fails(two, "stop_port_forward", { id: a.id }),
      `failed to stop port forward: port forward "${a.id}" not found`,
    );
    assert.deepEqual((await httpGet(a.ports[0].local_port)).body, WEB1);
    await ok(one, "stop_port_forward", { id: a.id });
    assert.deepEqual(mine(await ok(two, "list_port_forwards", {})), [b.id]);
  } finally {
    await one.close();
    await two.close();
    await server.stop();
  }
  // Each tunnel was opened with its caller's token, not the server's.
  for (const user of ["mcp-forwarder", "mcp-forwarder-2"]) {
    const events = await env.auditEvents(user, { userAgent: "mcp-kubernetes-ro/" });
    assert.ok(
      events.some((e) => e.verb === "create" && e.subresource === "portforward" && e.code === 101),
      `${user} opened a tunnel`,
    );
  }
});

integration(
  "port forwarding is off without the flag, and --disabled-tools still applies",
  async (env) => {
    const off = await connectStdio(["--kubeconfig", env.kubeconfig]);
    try {
      const names = (await off.client.listTools()).tools.map((t) => t.name);
      assert.ok(!names.some((n) => n.includes("port_forward")), names.join());
    } finally {
      await off.close();
    }
    const some = await stdioServer(env, ["--disabled-tools=start_port_forward"]);
    try {
      const names = (await some.client.listTools()).tools.map((t) => t.name);
      assert.ok(!names.includes("start_port_forward"));
      assert.ok(names.includes("stop_port_forward") && names.includes("list_port_forwards"));
      assert.match(some.stderr(), /Port forwarding tools enabled/);
    } finally {
      await some.close();
    }
    const sse = await startHttp("sse", [
      "--kubeconfig",
      env.kubeconfig,
      "--enable-port-forwarding",
    ]);
    assert.equal(await sse.stop(), 0);
    assert.match(
      sse.stderr(),
      /WARNING: Port forwarding with SSE mode — forwarded ports listen on/,
    );
    const byEnv = await connectStdio(["--kubeconfig", env.kubeconfig], {
      ENABLE_PORT_FORWARDING: "yes",
    });
    try {
      const names = (await byEnv.client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes("start_port_forward"), names.join());
    } finally {
      await byEnv.close();
    }
  },
);

integration(
  "port forwarding authenticates as every request does: client cert, exec plugin",
  async (env) => {
    const token = env.state?.tokens["mcp-forwarder"];
    assert.ok(token, "needs the local testenv's tokens");
    const dir = await Deno.makeTempDir();
    const plugin = await script(
      dir,
      "forwarder-plugin",
      `cat <<EOF
{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"${token}"}}
EOF`,
    );
    const kc = await kubeconfigWith(env, {
      users: execUser("exec-forwarder", plugin),
      contexts: `- name: exec-forwarder
  context: {cluster: testenv, user: exec-forwarder, namespace: mcp-test}
`,
    });
    const server = await connectStdio(["--kubeconfig", kc.path, "--enable-port-forwarding"]);
    try {
      // admin: a client certificate from files (system:masters); exec-forwarder: a plugin's token.
      for (const context of ["admin", "exec-forwarder"]) {
        const r = await ok(server.client, "start_port_forward", {
          namespace: NS,
          pod: WEB1,
          ports: [{ pod_port: WEB_PORT }],
          context,
        });
        assert.deepEqual(
          await httpGet(r.ports[0].local_port),
          { status: 200, body: WEB1 },
          context,
        );
      }
    } finally {
      await server.close();
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(kc.dir, { recursive: true });
    }
  },
);

integration(
  "port forwarding is not blocked by --disabled-resources=pods, as in the Go server",
  async (env) => {
    const server = await stdioServer(env, ["--disabled-resources=pods"]);
    try {
      const r = await ok(server.client, "start_port_forward", {
        namespace: NS,
        pod: WEB1,
        ports: [{ pod_port: WEB_PORT }],
        ...AS,
      });
      assert.deepEqual(await httpGet(r.ports[0].local_port), { status: 200, body: WEB1 });
      // The pod stays hidden from the reading tools.
      const listed = await call(server.client, "list_resources", { resource_type: "pods", ...AS });
      assert.equal(listed.isError, true, listed.text);
    } finally {
      await server.close();
    }
  },
);

integration(
  "port forwarding over stdio: SIGTERM closes every tunnel, then the server exits 0",
  async (env) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: [...FROM_SOURCE, "--kubeconfig", env.kubeconfig, "--enable-port-forwarding"],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const send = async (msg: object) => {
      const w = child.stdin.getWriter();
      await w.write(new TextEncoder().encode(JSON.stringify({ jsonrpc: "2.0", ...msg }) + "\n"));
      w.releaseLock();
    };
    let port = 0;
    try {
      await send({
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "t", version: "0" },
        },
      });
      await send({ method: "notifications/initialized" });
      await send({
        id: 2,
        method: "tools/call",
        params: {
          name: "start_port_forward",
          arguments: { namespace: NS, pod: WEB1, ports: [{ pod_port: WEB_PORT }], ...AS },
        },
      });
      let out = "";
      const answer = await eventually("the start_port_forward answer", 20_000, async () => {
        const r = await lines.read();
        if (r.done) throw new Error(`stdout ended: ${out}`);
        out += r.value;
        return out.split("\n").find((l) => l.includes('"id":2'));
      });
      port = JSON.parse(answer).result.structuredContent.ports[0].local_port;
      assert.deepEqual(await httpGet(port), { status: 200, body: WEB1 });
    } finally {
      child.kill("SIGTERM");
    }
    const status = await child.status;
    lines.cancel().catch(() => {});
    const err = await stderr;
    assert.equal(status.code, 0, err);
    assert.match(err, /Shutting down, stopping all port forwards\.\.\./);
    assert.match(err, /Port forward pf-1 \(mcp-test\/web-7d4b9c8f6d-x2x7k\) terminated/);
    assert.ok(await refused(port), "the tunnel's port closed with the server");
  },
);

integration(
  "port forwarding through a proxy-url, with tls-server-name, and with insecure-skip-tls-verify",
  async (env) => {
    // "kubernetes" (a name the API server's certificate holds) resolves only at the proxy: every
    // byte of that context, the tunnel's included, must go through it.
    const proxy = connectProxy({ kubernetes: "127.0.0.1" });
    const server = env.state!.servers.main;
    const viaProxy = server.replace("127.0.0.1", "kubernetes");
    const ca = env.state!.caCert;
    const kc = await kubeconfigWith(env, {
      clusters: `- name: via-proxy
  cluster:
    server: "${viaProxy}"
    proxy-url: "http://127.0.0.1:${proxy.port}"
    certificate-authority: "${ca}"
- name: by-name
  cluster:
    server: "${server}"
    tls-server-name: kubernetes
    certificate-authority: "${ca}"
- name: insecure
  cluster:
    server: "${server}"
    insecure-skip-tls-verify: true
`,
      contexts: ["via-proxy", "by-name", "insecure"].map((c) =>
        `- name: fwd-${c}
  context: {cluster: ${c}, user: mcp-forwarder, namespace: mcp-test}
`
      ).join(""),
    });
    const mcp = await connectStdio(["--kubeconfig", kc.path, "--enable-port-forwarding"]);
    try {
      for (const context of ["fwd-via-proxy", "fwd-by-name", "fwd-insecure"]) {
        const r = await ok(mcp.client, "start_port_forward", {
          namespace: NS,
          pod: WEB1,
          ports: [{ pod_port: WEB_PORT }],
          context,
        });
        assert.deepEqual(await rawGet(r.ports[0].local_port).then((t) => t.endsWith(WEB1)), true);
      }
      assert.ok(proxy.targets.includes(new URL(viaProxy).host), proxy.targets.join());
    } finally {
      await mcp.close();
      proxy.close();
      await Deno.remove(kc.dir, { recursive: true });
    }
  },
);
