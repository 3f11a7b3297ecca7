// checksums.txt: sha256sum's format and values, sorted, and read back the same.

import assert from "node:assert/strict";
import { parseChecksums, renderChecksums, sha256Hex } from "../../scripts/release/checksums.ts";
import { run, withTempDir } from "./_helpers.ts";

Deno.test("sha256Hex matches the FIPS 180-2 test vector", async () => {
  assert.equal(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});

Deno.test("checksums.txt is sorted, and sha256sum -c accepts it; a changed file fails", async () => {
  await withTempDir(async (dir) => {
    const sums = new Map<string, string>();
    for (const name of ["z_last.zip", "a_first.tar.gz", "m_middle.tar.gz"]) {
      const data = crypto.getRandomValues(new Uint8Array(1000));
      await Deno.writeFile(`${dir}/${name}`, data);
      sums.set(name, await sha256Hex(data));
    }
    const text = renderChecksums(sums);
    await Deno.writeTextFile(`${dir}/checksums.txt`, text);
    assert.deepEqual(text.trim().split("\n").map((l) => l.split("  ")[1]), [
      "a_first.tar.gz",
      "m_middle.tar.gz",
      "z_last.zip",
    ]);

    const ours = await run("sha256sum", ["-c", "checksums.txt"], { cwd: dir });
    assert.equal(ours.code, 0, ours.stdout + ours.stderr);
    assert.equal(ours.stdout.match(/: OK$/gm)?.length, 3);
    // sha256sum's own output for the same files, in the same order, is the same text.
    const theirs = await run("sha256sum", [...sums.keys()].sort(), { cwd: dir });
    assert.equal(theirs.stdout, text);

    await Deno.writeFile(`${dir}/m_middle.tar.gz`, new Uint8Array(10));
    const changed = await run("sha256sum", ["-c", "checksums.txt"], { cwd: dir });
    assert.notEqual(changed.code, 0);
    assert.match(changed.stdout, /m_middle\.tar\.gz: FAILED/);
  });
});

Deno.test("parseChecksums reads back what renderChecksums wrote, and rejects junk", () => {
  const sums = new Map([["b.zip", "1".repeat(64)], ["a.tar.gz", "f".repeat(64)]]);
  assert.deepEqual(parseChecksums(renderChecksums(sums)), sums);
  assert.deepEqual(
    parseChecksums(`${"a".repeat(64)} *bin.zip\n`),
    new Map([["bin.zip", "a".repeat(64)]]),
  );
  assert.throws(() => parseChecksums("abc  file\n"), /line 1/);
  assert.throws(() => parseChecksums(`${"A".repeat(64)}  file\n`), /line 1/);
});
