// save_secret_to_file's writer: exclusive creation, modes, naming, refusal of existing files and
// links, nothing left behind; and, under exactly the release permissions (--allow-write=/tmp),
// that nothing can be written outside /tmp, not even through a symbolic link inside it.

import assert from "node:assert/strict";
import { RELEASE_PERMISSIONS } from "../../scripts/release/permissions.ts";
import { fileNameFor, TEMP_PREFIX, writeSecretFile } from "../../src/secrets/write_file.ts";
import { makeDirOutsideTmp } from "../_helpers/outside_tmp.ts";

const BYTES = new Uint8Array([0, 1, 2, 0xff, 0x0a]);

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

function mode(path: string): Promise<number> {
  return Deno.stat(path).then((s) => s.mode! & 0o777);
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "mcp-write-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("fileNameFor() keeps usable keys and falls back to value", () => {
  assert.equal(fileNameFor("tls.crt"), "tls.crt");
  assert.equal(fileNameFor(".env"), ".env");
  for (const bad of ["", ".", "..", "a/b", "a\\b", "/etc/passwd"]) {
    assert.equal(fileNameFor(bad), "value", bad);
  }
});

Deno.test("without path: a new 0700 folder per call in the temp folder, a 0600 file", async () => {
  await withDir(async (root) => {
    const a = await writeSecretFile({ bytes: BYTES, key: "tls.key", tempRoots: [root, "/tmp"] });
    const b = await writeSecretFile({ bytes: BYTES, key: "../x", tempRoots: [root] });
    for (const [path, name] of [[a, "tls.key"], [b, "value"]] as const) {
      const dir = path.slice(0, path.lastIndexOf("/"));
      assert.match(dir, new RegExp(`^${root}/${TEMP_PREFIX}\\d+$`));
      assert.equal(path, `${dir}/${name}`);
      assert.deepEqual(await Deno.readFile(path), BYTES);
      assert.equal(await mode(dir), 0o700);
      assert.equal(await mode(path), 0o600);
    }
    assert.notEqual(a.slice(0, a.lastIndexOf("/")), b.slice(0, b.lastIndexOf("/")));
    const empty = await writeSecretFile({ bytes: new Uint8Array(), key: "e", tempRoots: [root] });
    assert.equal((await Deno.stat(empty)).size, 0);
  });
});

Deno.test("with path: absolute, new, exclusive; existing files and links are left untouched", async () => {
  await withDir(async (dir) => {
    const roots = [dir];
    const path = `${dir}/out.bin`;
    assert.equal(await writeSecretFile({ bytes: BYTES, key: "k", path, tempRoots: roots }), path);
    assert.deepEqual(await Deno.readFile(path), BYTES);
    assert.equal(await mode(path), 0o600);
    const refuse = (p: string) =>
      writeSecretFile({ bytes: BYTES, key: "k", path: p, tempRoots: roots }).then(
        () => "",
        (e: Error) => e.message,
      );
    assert.equal(await refuse("relative/out"), `path "relative/out" must be absolute`);
    await Deno.writeTextFile(`${dir}/existing`, "keep");
    assert.equal(
      await refuse(`${dir}/existing`),
      `file "${dir}/existing" already exists, choose a new path`,
    );
    assert.equal(await Deno.readTextFile(`${dir}/existing`), "keep");
    await Deno.symlink(`${dir}/existing`, `${dir}/link`);
    assert.match(await refuse(`${dir}/link`), /already exists/);
    await Deno.symlink(`${dir}/nowhere`, `${dir}/dangling`);
    assert.match(await refuse(`${dir}/dangling`), /already exists/);
    assert.equal(await exists(`${dir}/nowhere`), false, "a dangling link is not followed");
    assert.match(
      await refuse(`${dir}/no/such/dir/out`),
      /does not exist; parent folders are not created/,
    );
    assert.equal(await exists(`${dir}/no`), false);
  });
});

// Runs the writer in a child process with exactly the release permissions and --no-prompt.
const PROBE = `
import { writeSecretFile } from ${
  JSON.stringify(new URL("../../src/secrets/write_file.ts", import.meta.url).href)
};
const [path, root] = Deno.args;
try {
  const out = await writeSecretFile({
    bytes: new TextEncoder().encode("probe"),
    key: "k",
    path: path || undefined,
    tempRoots: [root, "/tmp"],
  });
  console.log(JSON.stringify({ ok: out }));
} catch (e) {
  console.log(JSON.stringify({ error: e.message }));
}
`;

async function underReleasePermissions(path: string, root: string, probeDir: string) {
  const probe = `${probeDir}/probe.ts`;
  await Deno.writeTextFile(probe, PROBE);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-config", "--no-prompt", ...RELEASE_PERMISSIONS, probe, path, root],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  assert.equal(out.code, 0, text.decode(out.stderr));
  return JSON.parse(text.decode(out.stdout)) as { ok?: string; error?: string };
}

Deno.test("under the release permissions nothing is written outside /tmp, even through a link", async () => {
  // A folder outside /tmp (never under the temp folder, even when the checkout is).
  const outside = await makeDirOutsideTmp(".write-test-");
  const inside = await Deno.makeTempDir({ dir: "/tmp", prefix: "mcp-write-test-" });
  try {
    const fresh = await underReleasePermissions("", "/tmp", outside);
    assert.ok(fresh.ok?.startsWith(`/tmp/${TEMP_PREFIX}`), JSON.stringify(fresh));
    assert.equal(await Deno.readTextFile(fresh.ok!), "probe");
    await Deno.remove(fresh.ok!.slice(0, fresh.ok!.lastIndexOf("/")), { recursive: true });

    const named = await underReleasePermissions(`${inside}/named`, "/tmp", outside);
    assert.equal(named.ok, `${inside}/named`);

    const direct = await underReleasePermissions(`${outside}/direct`, "/tmp", outside);
    assert.match(direct.error ?? "", /is outside the folders this server may write to \(\/tmp;/);
    const dotdot = await underReleasePermissions(`/tmp/../${outside}/dotdot`, "/tmp", outside);
    assert.match(dotdot.error ?? "", /is outside the folders/);
    await Deno.symlink(outside, `${inside}/escape`);
    const viaLink = await underReleasePermissions(`${inside}/escape/linked`, "/tmp", outside);
    assert.match(viaLink.error ?? "", /is outside the folders .*symbolic links are followed/);
    // $TMPDIR outside /tmp is not writable under these permissions: /tmp is used instead.
    const fallback = await underReleasePermissions("", outside, outside);
    assert.ok(fallback.ok?.startsWith(`/tmp/${TEMP_PREFIX}`), JSON.stringify(fallback));
    await Deno.remove(fallback.ok!.slice(0, fallback.ok!.lastIndexOf("/")), { recursive: true });

    const written = (await Array.fromAsync(Deno.readDir(outside))).map((e) => e.name);
    assert.deepEqual(written, ["probe.ts"], "nothing but the probe itself outside /tmp");
  } finally {
    await Deno.remove(outside, { recursive: true });
    await Deno.remove(inside, { recursive: true });
  }
});
