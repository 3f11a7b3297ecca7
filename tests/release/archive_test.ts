// The archive writers, checked with the system's own tar and unzip: what a user extracts is
// what went in, at the archive root, with the binary executable. unzip is not on every machine
// the README's test command runs on, so the zip is also read with fflate (always), and the
// unzip tests are skipped without it unless MCP_REQUIRE_TOOLS names it (.ci/run does).

import assert from "node:assert/strict";
import { crc32, tarGz, zip } from "../../scripts/release/archive.ts";
import { run, withTempDir } from "./_helpers.ts";
import { toolTest } from "../_helpers/tools.ts";
import { unzipSync } from "npm:fflate@0.8.2";

const encoder = new TextEncoder();
// Sizes around tar's 512-byte blocks, plus random bytes so compression cannot hide a mistake.
const binary = new Uint8Array(70_000);
crypto.getRandomValues(binary.subarray(0, 65536));
crypto.getRandomValues(binary.subarray(65536));
const entries = [
  { name: "mcp-kubernetes-ro", data: binary, mode: 0o755 },
  { name: "README.md", data: encoder.encode("# readme\n".repeat(57)), mode: 0o644 },
  { name: "LICENSE", data: encoder.encode("x".repeat(512)), mode: 0o644 },
];
const MTIME = 1767225600; // 2026-01-01T00:00:00Z

Deno.test("crc32 matches the standard check value", () => {
  assert.equal(crc32(encoder.encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
});

Deno.test("tar.gz: tar lists the files at the root, binary 0755, docs 0644", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/a.tar.gz`, await tarGz(entries, MTIME));
    const list = await run("tar", ["-tzf", `${dir}/a.tar.gz`]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(list.stdout.trim().split("\n"), ["mcp-kubernetes-ro", "README.md", "LICENSE"]);

    const verbose = await run("tar", ["--numeric-owner", "--utc", "-tvzf", `${dir}/a.tar.gz`]);
    assert.equal(verbose.code, 0, verbose.stderr);
    const lines = verbose.stdout.trim().split("\n");
    assert.match(lines[0]!, /^-rwxr-xr-x 0\/0 +70000 2026-01-01 00:00 mcp-kubernetes-ro$/);
    assert.match(lines[1]!, /^-rw-r--r-- 0\/0 +513 2026-01-01 00:00 README\.md$/);
    assert.match(lines[2]!, /^-rw-r--r-- 0\/0 +512 2026-01-01 00:00 LICENSE$/);
    assert.doesNotMatch(verbose.stderr, /warning/i);
  });
});

Deno.test("tar.gz: extracting gives back the exact bytes, and gzip's own check passes", async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/a.tar.gz`, await tarGz(entries, MTIME));
    assert.equal((await run("gzip", ["-t", `${dir}/a.tar.gz`])).code, 0);
    await Deno.mkdir(`${dir}/x`);
    const x = await run("tar", ["-xzf", `${dir}/a.tar.gz`, "-C", `${dir}/x`]);
    assert.equal(x.code, 0, x.stderr);
    for (const e of entries) assert.deepEqual(await Deno.readFile(`${dir}/x/${e.name}`), e.data);
    assert.equal((await Deno.stat(`${dir}/x/mcp-kubernetes-ro`)).mode! & 0o777, 0o755);
  });
});

toolTest("zip: unzip lists the files at the root and tests the CRCs", ["unzip"], async () => {
  await withTempDir(async (dir) => {
    const win = [{ ...entries[0]!, name: "mcp-kubernetes-ro.exe" }, ...entries.slice(1)];
    await Deno.writeFile(`${dir}/a.zip`, await zip(win, MTIME));
    const list = await run("unzip", ["-l", `${dir}/a.zip`]);
    assert.equal(list.code, 0, list.stderr);
    const names = list.stdout.split("\n")
      .map((l) => /^\s*(\d+)\s+\S+\s+\S+\s+(\S+)$/.exec(l))
      .filter((m) => m !== null)
      .map((m) => [m[2], Number(m[1])]);
    assert.deepEqual(names, [["mcp-kubernetes-ro.exe", 70000], ["README.md", 513], [
      "LICENSE",
      512,
    ]]);
    const test = await run("unzip", ["-t", `${dir}/a.zip`]);
    assert.equal(test.code, 0, test.stdout + test.stderr);
    assert.match(test.stdout, /No errors detected/);
    const info = await run("zipinfo", [`${dir}/a.zip`, "mcp-kubernetes-ro.exe"]);
    assert.match(info.stdout, /^-rwxr-xr-x .* unx /);
  });
});

toolTest("zip: unzip extracts the exact bytes", ["unzip"], async () => {
  await withTempDir(async (dir) => {
    await Deno.writeFile(`${dir}/a.zip`, await zip(entries, MTIME));
    const x = await run("unzip", ["-q", `${dir}/a.zip`, "-d", `${dir}/x`]);
    assert.equal(x.code, 0, x.stderr);
    for (const e of entries) assert.deepEqual(await Deno.readFile(`${dir}/x/${e.name}`), e.data);
  });
});

Deno.test("zip: fflate reads back the exact bytes, in order, at the root", async () => {
  const files = unzipSync(await zip(entries, MTIME));
  assert.deepEqual(Object.keys(files), entries.map((e) => e.name));
  for (const e of entries) assert.deepEqual(files[e.name], e.data);
});

Deno.test("archives refuse names that would escape the extraction directory", async () => {
  for (const name of ["../evil", "/etc/passwd", "a/../../b", ""]) {
    const bad = [{ name, data: new Uint8Array(1), mode: 0o644 }];
    await assert.rejects(tarGz(bad, MTIME), /relative path/);
    await assert.rejects(zip(bad, MTIME), /relative path/);
  }
});

Deno.test("archives are reproducible for the same inputs and time", async () => {
  assert.deepEqual(await zip(entries, MTIME), await zip(entries, MTIME));
  const a = await tarGz(entries, MTIME);
  const b = await tarGz(entries, MTIME);
  assert.deepEqual(a, b);
  assert.notDeepEqual(await tarGz(entries, MTIME + 60), a);
});
