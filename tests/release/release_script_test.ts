// scripts/release.ts end to end without the Deno runtime: stand-in binaries in dist/<target>/
// are packaged with --skip-compile, and what lands in dist/ is checked as a user and brew would.

import assert from "node:assert/strict";
import { EXIT } from "../../scripts/release/options.ts";
import { parseChecksums } from "../../scripts/release/checksums.ts";
import { archiveName, binaryName, TARGETS } from "../../scripts/release/targets.ts";
import { run, runRelease, standInBinary, withRoot } from "./_helpers.ts";
import { readFormula } from "./_formula_reader.ts";
import { unzipSync } from "npm:fflate@0.8.2";

Deno.test("release --skip-compile: archives, checksums.txt and the formula agree", async () => {
  await withRoot("3.1.4", async (root) => {
    const r = await runRelease(["--root", root, "--skip-compile", "--tag", "v3.1.4"], {
      GITHUB_REPOSITORY: "acme/kube-ro",
      SOURCE_DATE_EPOCH: "1767225600",
    });
    assert.equal(r.code, EXIT.ok, r.stderr);
    const dist = `${root}/dist`;

    // Every archive holds exactly the binary, README.md and LICENSE, with the stand-in bytes.
    for (const t of TARGETS) {
      const file = `${dist}/${archiveName(t)}`;
      const out = `${root}/x_${t.triple}`;
      await Deno.mkdir(out);
      if (t.os === "windows") {
        // Read with fflate here; archive_test.ts checks the zip format with Info-ZIP's unzip.
        const files = unzipSync(await Deno.readFile(file));
        assert.deepEqual(Object.keys(files), [binaryName(t), "README.md", "LICENSE"]);
        for (const [name, data] of Object.entries(files)) {
          await Deno.writeFile(`${out}/${name}`, data);
        }
      } else {
        const list = await run("tar", ["-tvzf", file]);
        const lines = list.stdout.trim().split("\n");
        assert.equal(lines.length, 3, list.stdout);
        assert.match(lines[0]!, /^-rwxr-xr-x .* mcp-kubernetes-ro$/);
        assert.match(lines[1]!, /^-rw-r--r-- .* README\.md$/);
        assert.match(lines[2]!, /^-rw-r--r-- .* LICENSE$/);
        assert.equal((await run("tar", ["-xzf", file, "-C", out])).code, 0);
      }
      assert.deepEqual(await Deno.readFile(`${out}/${binaryName(t)}`), standInBinary(t.triple));
      assert.equal(await Deno.readTextFile(`${out}/README.md`), "# stand-in README\n");
      assert.equal(await Deno.readTextFile(`${out}/LICENSE`), "stand-in LICENSE\n");
    }

    // checksums.txt covers the five archives, sorted, and sha256sum agrees with every line.
    const checksums = await Deno.readTextFile(`${dist}/checksums.txt`);
    const sums = parseChecksums(checksums);
    assert.deepEqual([...sums.keys()], TARGETS.map(archiveName).sort());
    const check = await run("sha256sum", ["--strict", "-c", "checksums.txt"], { cwd: dist });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.equal(check.stdout.match(/: OK$/gm)?.length, 5);

    // The formula carries the tag's version, the repository's URLs and those same checksums.
    const formula = await Deno.readTextFile(`${dist}/Formula/mcp-kubernetes-ro.rb`);
    assert.match(formula, /^ {2}version "3\.1\.4"$/m);
    for (const t of TARGETS.filter((t) => t.os !== "windows")) {
      const url = `https://github.com/acme/kube-ro/releases/download/v3.1.4/${archiveName(t)}`;
      assert.ok(formula.includes(`url "${url}"\n      sha256 "${sums.get(archiveName(t))}"`), url);
    }
    assert.ok(!formula.includes("windows"));
    // The formula's Ruby subset read back (formula_test.ts also runs ruby on it where it exists).
    const read = readFormula(formula);
    assert.equal(Object.keys(read.platforms).length, 4);
    assert.deepEqual(read.installed, ["mcp-kubernetes-ro"]);
  });
});

Deno.test("release: the same inputs and SOURCE_DATE_EPOCH give the same checksums", async () => {
  await withRoot("3.1.4", async (root) => {
    const env = { SOURCE_DATE_EPOCH: "1767225600" };
    assert.equal((await runRelease(["--root", root, "--skip-compile"], env)).code, 0);
    const first = await Deno.readTextFile(`${root}/dist/checksums.txt`);
    assert.equal((await runRelease(["--root", root, "--skip-compile"], env)).code, 0);
    assert.equal(await Deno.readTextFile(`${root}/dist/checksums.txt`), first);
  });
});

Deno.test("release: without --repo or GITHUB_REPOSITORY the placeholder is used and said", async () => {
  await withRoot("3.1.4", async (root) => {
    const r = await runRelease(["--root", root, "--skip-compile"]);
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.match(r.stderr, /placeholder OWNER\/mcp-kubernetes-ro/);
    const formula = await Deno.readTextFile(`${root}/dist/Formula/mcp-kubernetes-ro.rb`);
    assert.match(formula, /github\.com\/OWNER\/mcp-kubernetes-ro\/releases\/download\/v3\.1\.4\//);
  });
});

Deno.test("release: --repo wins over GITHUB_REPOSITORY", async () => {
  await withRoot("3.1.4", async (root) => {
    const r = await runRelease(["--root", root, "--skip-compile", "--repo", "me/fork"], {
      GITHUB_REPOSITORY: "acme/kube-ro",
    });
    assert.equal(r.code, EXIT.ok, r.stderr);
    const formula = await Deno.readTextFile(`${root}/dist/Formula/mcp-kubernetes-ro.rb`);
    assert.match(formula, /homepage "https:\/\/github\.com\/me\/fork"/);
  });
});

Deno.test("release: one target gives one archive and no formula", async () => {
  await withRoot("3.1.4", async (root) => {
    const r = await runRelease([
      "--root",
      root,
      "--skip-compile",
      "--target",
      "aarch64-apple-darwin",
    ]);
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.match(r.stderr, /no Homebrew formula/);
    const sums = parseChecksums(await Deno.readTextFile(`${root}/dist/checksums.txt`));
    assert.deepEqual([...sums.keys()], ["mcp-kubernetes-ro_darwin_arm64.tar.gz"]);
    await assert.rejects(Deno.stat(`${root}/dist/Formula`), Deno.errors.NotFound);
  });
});

Deno.test("release: a missing binary, README.md or LICENSE fails with exit 1 and says which", async () => {
  await withRoot("3.1.4", async (root) => {
    await Deno.remove(`${root}/dist/aarch64-unknown-linux-gnu/mcp-kubernetes-ro`);
    const r = await runRelease(["--root", root, "--skip-compile"]);
    assert.equal(r.code, EXIT.failed, r.stderr);
    assert.match(r.stderr, /aarch64-unknown-linux-gnu binary not found/);
  });
  await withRoot("3.1.4", async (root) => {
    await Deno.remove(`${root}/LICENSE`);
    const r = await runRelease(["--root", root, "--skip-compile"]);
    assert.equal(r.code, EXIT.failed, r.stderr);
    assert.match(r.stderr, /LICENSE not found/);
  });
});

Deno.test("release: usage errors exit 2", async () => {
  for (
    const args of [
      ["--bogus"],
      ["--target", "riscv64-unknown-linux-gnu"],
      ["--repo", "not a repo"],
      ["--timeout", "soon"],
      ["positional"],
    ]
  ) {
    const r = await runRelease(args);
    assert.equal(r.code, EXIT.usage, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /Usage: deno task release/);
  }
  const help = await runRelease(["--help"]);
  assert.equal(help.code, EXIT.ok);
  assert.match(help.stderr, /Exit codes: 0 ok, 1 build failed, 2 usage, 3 tag/);
});

Deno.test("the repository ships the LICENSE the formula declares", async () => {
  const { LICENSE } = await import("../../scripts/release/formula.ts");
  const text = await Deno.readTextFile(new URL("../../LICENSE", import.meta.url));
  assert.equal(LICENSE, "MIT");
  assert.match(text, /^MIT License\n/);
});
