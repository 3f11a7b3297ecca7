// The container image, built from the root Dockerfile with podman and driven as the README says:
// --version, the user, a stdio MCP session with a kubeconfig mounted read-only (the README's
// docker snippet), and in-cluster credentials: a real ServiceAccount token from the TokenRequest
// API, ca.crt and namespace mounted where a pod has them, KUBERNETES_SERVICE_HOST/PORT set.
// Every run uses --read-only. Skipped without podman and runc unless MCP_REQUIRE_TOOLS names them
// (.ci/run installs them); the machine-specific podman settings are in _podman.ts.

import assert from "node:assert/strict";
import { RELEASE_PERMISSIONS, RELEASE_V8_FLAGS } from "../../scripts/release/permissions.ts";
import { VERSION } from "../../src/version.ts";
import { integration, type TestEnv } from "../_helpers/testenv.ts";
import { checkTools, toolTest } from "../_helpers/tools.ts";
import { assertSession, editorServer, mcpSession, readmeBlocks, ROOT } from "./_helpers.ts";
import { buildImage, LIMITS, podman, podmanCommand } from "./_podman.ts";

const TOOLS = ["podman", "runc"];
const IMAGE_IN_README = "ghcr.io/OWNER/mcp-kubernetes-ro:0.1.0";

toolTest("image: builds; --version; runs as non-root on a read-only root", TOOLS, async () => {
  const tag = await buildImage(ROOT);
  const version = await podman(["run", "--rm", "--read-only", ...LIMITS, tag, "--version"]);
  assert.equal(version.code, 0, version.stderr);
  assert.equal(version.stdout.trim(), `mcp-kubernetes-ro ${VERSION}`);

  const bad = await podman(["run", "--rm", "--read-only", ...LIMITS, tag, "--port", "0"]);
  assert.equal(bad.code, 2, bad.stderr);

  const inspect = await podman(["image", "inspect", tag, "--format", "{{json .Config}}"]);
  const config = JSON.parse(inspect.stdout) as {
    User: string;
    Env: string[];
    Entrypoint: string[];
  };
  assert.equal(config.User, "65532:65532");
  assert.ok(
    config.Env.includes("MCP_KUBERNETES_RO_ENCRYPTED_SECRET_ACCESS=true"),
    config.Env.join(),
  );
  // The entrypoint grants exactly the release permissions, runs the bundle, and never prompts
  // or fetches code.
  const perms = config.Entrypoint.filter((a) => a.startsWith("--allow") || a === "-A");
  assert.deepEqual(perms, RELEASE_PERMISSIONS);
  for (
    const flag of [
      "--no-prompt",
      "--no-npm",
      "--no-remote",
      RELEASE_V8_FLAGS,
      "/app/server/main.js",
    ]
  ) {
    assert.ok(config.Entrypoint.includes(flag), `${flag} missing: ${config.Entrypoint.join(" ")}`);
  }

  // The process's ids inside, asked of the runtime itself (the image has no shell or `id`).
  const ids = await podman([
    "run",
    "--rm",
    "--read-only",
    ...LIMITS,
    "--entrypoint",
    "/usr/local/bin/deno",
    tag,
    "eval",
    "console.log(Deno.uid(), Deno.gid())",
  ]);
  assert.equal(ids.stdout.trim(), "65532 65532", ids.stderr);
  const shell = await podman([
    "run",
    "--rm",
    ...LIMITS,
    "--entrypoint",
    "/bin/sh",
    tag,
    "-c",
    "true",
  ]);
  assert.notEqual(shell.code, 0, "the runtime image must not have a shell");
});

/** An integration test that also needs podman: ignored without either, unless required. */
function containerTest(name: string, fn: (env: TestEnv) => Promise<void>): void {
  const tools = checkTools(TOOLS);
  if (tools.skip) return toolTest(name, TOOLS, () => {});
  integration(name, fn);
}

containerTest("image: the README's docker snippet runs a stdio MCP session", async (env) => {
  const tag = await buildImage(ROOT);
  const [snippet] = await readmeBlocks("json", IMAGE_IN_README);
  const server = editorServer(snippet!);
  assert.equal(server.command, "docker");
  const { command, prefix, env: podmanEnv } = await podmanCommand();
  // The README says the kubeconfig must be readable by the image's user (65532); the testenv's
  // is 0600 root, so a readable copy stands for the user's.
  const dir = await Deno.makeTempDir({ prefix: "kubeconfig_" });
  const kubeconfig = `${dir}/config`;
  await Deno.copyFile(env.kubeconfig, kubeconfig);
  await Deno.chmod(dir, 0o755);
  await Deno.chmod(kubeconfig, 0o644);
  // As written, with podman for docker, this machine's podman settings after `run`, the test
  // image for the published one and that kubeconfig for /path/to/kubeconfig.
  const args = server.args.map((a) =>
    a === IMAGE_IN_README ? tag : a.replace("/path/to/kubeconfig", kubeconfig)
  );
  assert.equal(args[0], "run");
  const session = await mcpSession(
    { command, args: [...prefix, "run", ...LIMITS, ...args.slice(1)] },
    { env: podmanEnv },
  );
  await Deno.remove(dir, { recursive: true });
  assertSession(session, env);
  assert.match(session.stderr, /Successfully connected to Kubernetes cluster/);
});

const SA = { namespace: "default", name: "mcp-incluster-test" };

/** A real token for a ServiceAccount bound to the reader's ClusterRole, via TokenRequest. */
async function serviceAccountToken(env: TestEnv): Promise<string> {
  const admin = await env.client("admin");
  const ignoreExists = (e: unknown) => {
    if ((e as { status?: number }).status !== 409) throw e;
  };
  try {
    await admin.create(`/api/v1/namespaces/${SA.namespace}/serviceaccounts`, {
      metadata: { name: SA.name },
    }).catch(ignoreExists);
    await admin.create("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
      metadata: { name: SA.name },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "mcp-reader" },
      subjects: [{ kind: "ServiceAccount", name: SA.name, namespace: SA.namespace }],
    }).catch(ignoreExists);
    const review = await admin.create(
      `/api/v1/namespaces/${SA.namespace}/serviceaccounts/${SA.name}/token`,
      {
        apiVersion: "authentication.k8s.io/v1",
        kind: "TokenRequest",
        spec: { expirationSeconds: 600 },
      },
    );
    return review.status.token as string;
  } finally {
    admin.close();
  }
}

containerTest(
  "image: in-cluster credentials (ServiceAccount token, ca.crt, namespace)",
  async (env) => {
    assert.ok(env.state, "the in-cluster test needs the local testenv (its CA and admin user)");
    const tag = await buildImage(ROOT);
    const token = await serviceAccountToken(env);
    const dir = await Deno.makeTempDir({ prefix: "sa_" });
    await Deno.writeTextFile(`${dir}/token`, token);
    await Deno.copyFile(env.state.caCert, `${dir}/ca.crt`);
    await Deno.writeTextFile(`${dir}/namespace`, SA.namespace);
    // Readable by the image's user (65532), as the kubelet's projected volume is.
    await Deno.chmod(dir, 0o755);
    for (const f of ["token", "ca.crt", "namespace"]) await Deno.chmod(`${dir}/${f}`, 0o644);
    const api = new URL(env.state.servers.main);
    const mark = await env.auditMark();
    const { command, prefix, env: podmanEnv } = await podmanCommand();
    try {
      const session = await mcpSession({
        command,
        args: [
          ...prefix,
          "run",
          ...LIMITS,
          "-i",
          "--rm",
          "--read-only",
          "-e",
          `KUBERNETES_SERVICE_HOST=${api.hostname}`,
          "-e",
          `KUBERNETES_SERVICE_PORT=${api.port}`,
          "-v",
          `${dir}:/var/run/secrets/kubernetes.io/serviceaccount:ro`,
          tag,
        ],
      }, { env: podmanEnv });
      assertSession(session, env);
      // The API server saw the ServiceAccount, and only reads from it.
      const user = `system:serviceaccount:${SA.namespace}:${SA.name}`;
      const events = await env.auditEvents(user, { since: mark });
      assert.ok(events.length > 0, `no request from ${user} in the audit log`);
      assert.deepEqual(
        [...new Set(events.map((e) => e.verb))].filter((v) =>
          !["get", "list", "watch"].includes(v)
        ),
        [],
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
