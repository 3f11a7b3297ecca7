// The start-up connectivity check against the real cluster: its success lines, and a specific
// diagnosis with exit code 1 for each way it can fail. Also --always-start's tool errors.

import assert from "node:assert/strict";
import { callError, connectStdio, FROM_SOURCE } from "../_helpers/connect.ts";
import { integration, type TestEnv } from "../_helpers/testenv.ts";
import { TOOLS } from "../../src/tools/registry.ts";

/** A copy of the testenv kubeconfig with its text changed, in a temporary directory. */
async function variant(env: TestEnv, change: (text: string) => string): Promise<string> {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/kubeconfig`;
  await Deno.writeTextFile(path, change(await Deno.readTextFile(env.kubeconfig)));
  return path;
}

const current = (name: string) => (text: string) =>
  text.replace(/current-context: .*/, `current-context: "${name}"`);

/**
 * Runs main.ts with stdin held open, so only the check can end it; returns code and stderr. A
 * passing check is seen by its success line (then the server is stopped): no fixed wait, which a
 * loaded machine would outlast.
 */
async function start(args: string[], waitMs = 40_000): Promise<{ code: number; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...FROM_SOURCE, ...args],
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const passed = Promise.withResolvers<void>();
  const reading = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderr += chunk;
      if (/✓ Successfully connected.*\n/.test(stderr)) passed.resolve();
    }
  })();
  const timer = setTimeout(() => child.kill("SIGKILL"), waitMs);
  const ended = await Promise.race([child.status, passed.promise.then(() => null)]);
  if (ended === null) {
    // Let the lines that follow the success line (disabled resources) arrive, then stop it.
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGTERM");
  }
  const status = await child.status;
  clearTimeout(timer);
  await reading;
  await child.stdin.close().catch(() => {});
  return { code: status.code, stderr };
}

integration(
  "startup check: success lines for the reader and a namespace-scoped viewer",
  async (env) => {
    const ok = await start(["--kubeconfig", env.kubeconfig]);
    assert.match(ok.stderr, /Testing connectivity to Kubernetes cluster\.\.\./);
    assert.match(
      ok.stderr,
      /✓ Successfully connected to Kubernetes cluster \(version: v1\.34\.4\)/,
    );
    assert.equal(ok.code, 0);
    const ns = await start(["--kubeconfig", env.kubeconfig, "--namespace", "team-b"]);
    assert.match(ns.stderr, /✓ Successfully connected .*\(version: v1\.34\.4, namespace: team-b\)/);
    // viewer may not list namespaces; the probe falls back to its own namespace.
    const viewer = await start(["--kubeconfig", await variant(env, current("viewer"))]);
    assert.match(viewer.stderr, /✓ Successfully connected/);
  },
);

integration("startup check: each failure is diagnosed and exits 1", async (env) => {
  const cases: [string, string[] | Promise<string[]>, RegExp][] = [
    [
      "403",
      variant(env, current("nobody")).then((k) => ["--kubeconfig", k]),
      /403 Forbidden\) while trying to list namespaces, or get namespace "mcp-test" .*User "mcp-nobody" cannot get resource "namespaces"/,
    ],
    [
      "403 on --namespace",
      variant(env, current("viewer")).then((k) => ["--kubeconfig", k, "--namespace", "team-b"]),
      /permission denied \(403 Forbidden\) while trying to get namespace "team-b"/,
    ],
    [
      "401",
      variant(
        env,
        (t) => current("viewer")(t).replace(/(mcp-viewer"\n\s+user:\n\s+token: ).*/, '$1"wrong"'),
      )
        .then((k) => ["--kubeconfig", k]),
      /rejected the credentials \(401 Unauthorized\) while trying to get the server version/,
    ],
    [
      "unreachable",
      variant(
        env,
        (t) => t.replace(/server: "https:\/\/127\.0\.0\.1:\d+"/, 'server: "https://127.0.0.1:9"'),
      )
        .then((k) => ["--kubeconfig", k]),
      /cluster unreachable while trying to get the server version from https:\/\/127\.0\.0\.1:9/,
    ],
    [
      "TLS",
      variant(env, (t) => t.replace(/\n\s+certificate-authority-data: .*/, ""))
        .then((k) => ["--kubeconfig", k]),
      /TLS problem while trying to get the server version .*certificate/i,
    ],
    [
      "missing kubeconfig",
      ["--kubeconfig", "/nonexistent/kubeconfig"],
      /kubeconfig problem: kubeconfig \/nonexistent\/kubeconfig \(from --kubeconfig\) does not exist/,
    ],
    [
      "unresolvable disabled resource",
      ["--kubeconfig", env.kubeconfig, "--disabled-resources", "secretz"],
      /failed to resolve --disabled-resources: cannot resolve disabled resource spec "secretz"/,
    ],
  ];
  for (const [name, args, message] of cases) {
    const { code, stderr } = await start(await args);
    assert.equal(code, 1, `${name}: ${stderr}`);
    assert.match(stderr, /Failed to connect to Kubernetes cluster: /, name);
    assert.match(stderr, message, `${name}: ${stderr}`);
    assert.doesNotMatch(
      stderr,
      /viewer-[0-9a-f]{8}|BEGIN (RSA |EC )?PRIVATE KEY/,
      "no credentials",
    );
  }
});

integration(
  "--always-start: cluster failures become tool errors that say not to retry",
  async (env) => {
    const unreachable = await variant(
      env,
      (t) => t.replace(/server: "https:\/\/127\.0\.0\.1:\d+"/, 'server: "https://127.0.0.1:9"'),
    );
    const { client, close, stderr } = await connectStdio([
      "--kubeconfig",
      unreachable,
      "--always-start",
    ]);
    try {
      const err = await callError(client, "list_resources", { resource_type: "pods" });
      assert.match(err, /^Failed to reach the Kubernetes cluster: cannot reach .*127\.0\.0\.1:9/);
      assert.match(err, /Do not retry this request automatically/);
      assert.equal((await client.listTools()).tools.length, TOOLS.length + 1);
    } finally {
      await close();
    }
    assert.match(stderr(), /Skipping connectivity check \(--always-start\)/);
    assert.doesNotMatch(stderr(), /Testing connectivity/);
  },
);
