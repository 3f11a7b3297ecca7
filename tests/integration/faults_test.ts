// Faults against a real API server: paused mid-read (SIGSTOP), killed and restarted on a new port
// with new certificates, and the kubeconfig deleted or broken mid-run. Each call ends in a clear
// tool error within the request timeout, and the same process recovers without a restart.

import assert from "node:assert/strict";
import { Client, StreamableHTTPClientTransport } from "../_helpers/sdk.ts";
import { callError, callJson, connectStdio } from "../_helpers/connect.ts";
import { spareApiserver } from "../_helpers/spare_apiserver.ts";
import { startHttp } from "../_helpers/spawn_http.ts";
import { integration, seed } from "../_helpers/testenv.ts";

type Page = { items: { name: string }[]; count: number };

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await f();
  return { value, seconds: (performance.now() - started) / 1000 };
}

/** /readyz's status once it is `want` (its answer is cached for 2 s), or the last one after 10 s. */
async function readyz(base: string, want: number): Promise<number> {
  let status = 0;
  for (let i = 0; i < 40 && status !== want; i++) {
    if (i) await new Promise((r) => setTimeout(r, 250));
    const r = await fetch(`${base}/readyz`);
    await r.body?.cancel();
    status = r.status;
  }
  return status;
}

integration(
  "an API server paused mid-read: the log read ends at the request timeout, saying how much arrived",
  async (env) => {
    const spare = await spareApiserver(env);
    const { client, close } = await connectStdio([
      "--kubeconfig",
      spare.kubeconfig,
      "--always-start",
      "--request-timeout",
      "4s",
    ]);
    try {
      // Warm: discovery is done, so the pause lands on the log body.
      await callJson(client, "list_resources", { resource_type: "pods" });
      const call = timed(() =>
        callError(client, "get_logs", {
          name: seed.BIGLOG.pod,
          namespace: seed.BIGLOG.namespace,
          grep_include: "no line has this text",
        })
      );
      await new Promise((r) => setTimeout(r, 400));
      spare.pause();
      const { value: text, seconds } = await call;
      spare.resume();
      assert.ok(seconds < 4 + 6, `answered in ${seconds.toFixed(1)}s`);
      assert.match(text, /was not complete after 4s \(\d+\.\d MB read\)/);
      // The same process goes on working once the server does.
      const page = await callJson(client, "list_resources", { resource_type: "pods" }) as Page;
      assert.ok(page.count > 0);
    } finally {
      await close();
      await spare.stop();
    }
  },
);

integration(
  "an API server killed and restarted on a new port with new certificates: errors, then recovery and /readyz 200",
  async (env) => {
    const spare = await spareApiserver(env);
    const server = await startHttp("streamable-http", [
      "--kubeconfig",
      spare.kubeconfig,
      "--always-start",
      "--request-timeout",
      "4s",
    ]);
    const client = new Client({ name: "faults", version: "0" });
    try {
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.base}/mcp`)));
      await callJson(client, "list_resources", { resource_type: "pods" });
      assert.equal((await fetch(`${server.base}/readyz`)).status, 200);

      await spare.kill();
      const down = await timed(() =>
        callError(client, "list_resources", { resource_type: "pods" })
      );
      assert.ok(down.seconds < 4 + 6, `answered in ${down.seconds.toFixed(1)}s`);
      assert.match(down.value, /cannot reach the Kubernetes API server|timed out/);
      assert.equal(await readyz(server.base, 503), 503, "/readyz reports the outage");

      await spare.restart(); // new port, new CA, new client certificate, kubeconfig rewritten
      const page = await callJson(client, "list_resources", { resource_type: "pods" }) as Page;
      assert.ok(page.count > 0, "the same process recovers");
      await callJson(client, "list_contexts");
      assert.equal(await readyz(server.base, 200), 200, "/readyz recovers");
    } finally {
      await client.close();
      await server.stop();
      await spare.stop();
    }
  },
);

integration(
  "the kubeconfig deleted or broken mid-run: clear errors, then recovery",
  async (env) => {
    const dir = await Deno.makeTempDir();
    const path = `${dir}/kubeconfig`;
    const good = await Deno.readTextFile(env.kubeconfig);
    await Deno.writeTextFile(path, good);
    const { client, close } = await connectStdio([
      "--kubeconfig",
      path,
      "--always-start",
      "--request-timeout",
      "4s",
    ]);
    try {
      await callJson(client, "list_resources", { resource_type: "pods" });

      await Deno.remove(path);
      assert.match(
        await callError(client, "list_resources", { resource_type: "pods" }),
        /kubeconfig .* does not exist/,
      );
      await Deno.writeTextFile(path, good);
      await callJson(client, "list_resources", { resource_type: "pods" });

      await Deno.writeTextFile(path, good.replace(/^clusters:/m, "clusters: [oops"));
      assert.match(
        await callError(client, "list_resources", { resource_type: "pods" }),
        /kubeconfig .* is not valid/,
      );
      await Deno.writeTextFile(path, good);
      const page = await callJson(client, "list_resources", { resource_type: "pods" }) as Page;
      assert.ok(page.count > 0);

      // An edit that points the context at a dead server is followed, and so is its repair.
      const server = env.state!.servers.main;
      await Deno.writeTextFile(path, good.replaceAll(server, "https://127.0.0.1:9"));
      assert.match(
        await callError(client, "list_resources", { resource_type: "pods" }),
        /cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:9/,
      );
      await Deno.writeTextFile(path, good);
      await callJson(client, "list_resources", { resource_type: "pods" });
    } finally {
      await close();
      await Deno.remove(dir, { recursive: true });
    }
  },
);
