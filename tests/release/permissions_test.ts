// Why the release permissions are what they are, shown with the real dependencies: the server
// answers under exactly RELEASE_PERMISSIONS, --allow-sys=uid,gid is needed by client-node's
// in-cluster loading, and it grants nothing beyond those two calls.

import assert from "node:assert/strict";
import { RELEASE_PERMISSIONS } from "../../scripts/release/permissions.ts";
import { REPO_ROOT, run, withTempDir } from "./_helpers.ts";

const WITHOUT_SYS = RELEASE_PERMISSIONS.filter((p) => !p.startsWith("--allow-sys"));

Deno.test("the permission list is the documented one, never everything", () => {
  assert.deepEqual(RELEASE_PERMISSIONS, [
    "--allow-net",
    "--allow-read",
    "--allow-env",
    "--allow-run",
    "--allow-sys=uid,gid",
    "--allow-write=/tmp",
  ]);
});

Deno.test("scripts/RELEASE.md shows the same permission flags", async () => {
  const doc = await Deno.readTextFile(`${REPO_ROOT}/scripts/RELEASE.md`);
  assert.ok(doc.includes(RELEASE_PERMISSIONS.join(" ")), "RELEASE.md has the flags in order");
});

// loadFromCluster with a path prefix reads <prefix>/var/run/secrets/.../namespace; client-node
// checks that file with node:fs accessSync, which in Deno compares owner uid/gid.
const PROBE = `
import { KubeConfig } from "npm:@kubernetes/client-node@2.0.1";
const kc = new KubeConfig();
kc.loadFromCluster(Deno.args[0]);
const ctx = kc.getContextObject(kc.getCurrentContext());
console.log(JSON.stringify({ namespace: ctx?.namespace ?? null }));
`;

async function inClusterNamespace(permissions: readonly string[]): Promise<unknown> {
  let result: unknown;
  await withTempDir(async (dir) => {
    const sa = `${dir}/var/run/secrets/kubernetes.io/serviceaccount`;
    await Deno.mkdir(sa, { recursive: true });
    await Deno.writeTextFile(`${sa}/namespace`, "team-a");
    await Deno.writeTextFile(`${dir}/probe.ts`, PROBE);
    const r = await run(
      Deno.execPath(),
      ["run", "--no-config", "--no-prompt", ...permissions, `${dir}/probe.ts`, dir],
      { cwd: dir },
    );
    assert.equal(r.code, 0, r.stderr);
    result = JSON.parse(r.stdout);
  });
  return result;
}

Deno.test("client-node finds the in-cluster namespace under the release permissions", async () => {
  assert.deepEqual(await inClusterNamespace(RELEASE_PERMISSIONS), { namespace: "team-a" });
});

Deno.test("without --allow-sys=uid,gid client-node silently loses the in-cluster namespace", async () => {
  // This is the evidence for granting the two sys calls: nothing fails, the namespace is gone.
  // Should a Deno upgrade make this fail, accessSync no longer needs them: drop --allow-sys.
  assert.deepEqual(await inClusterNamespace(WITHOUT_SYS), { namespace: null });
});

Deno.test("--allow-sys=uid,gid does not grant other system information", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeTextFile(
      `${dir}/sys.ts`,
      "Deno.uid(); Deno.gid(); try { Deno.hostname(); } catch (e) { console.log(e.name); }",
    );
    const r = await run(Deno.execPath(), [
      "run",
      "--no-config",
      "--no-prompt",
      ...RELEASE_PERMISSIONS.filter((p) => p.startsWith("--allow-sys")),
      `${dir}/sys.ts`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), "NotCapable");
  });
});

Deno.test("main.ts --version runs under exactly the release permissions", async () => {
  const { default: meta } = await import("../../deno.json", { with: { type: "json" } });
  const r = await run(Deno.execPath(), [
    "run",
    "--no-prompt",
    ...RELEASE_PERMISSIONS,
    `${REPO_ROOT}/main.ts`,
    "--version",
  ], { cwd: REPO_ROOT });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `mcp-kubernetes-ro ${meta.version}`);
});
