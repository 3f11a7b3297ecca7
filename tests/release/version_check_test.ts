// The tag-versus-deno.json check, as a function and through the release script's exit codes.

import assert from "node:assert/strict";
import { checkVersion } from "../../scripts/release/version_check.ts";
import { EXIT } from "../../scripts/release/options.ts";
import { runRelease, withRoot } from "./_helpers.ts";

Deno.test("checkVersion: v + version matches", () => {
  assert.deepEqual(checkVersion("0.1.0", "v0.1.0"), {
    kind: "match",
    version: "0.1.0",
    tag: "v0.1.0",
  });
  assert.equal(checkVersion("1.2.3-rc.1", "v1.2.3-rc.1").kind, "match");
});

Deno.test("checkVersion: any other tag is a mismatch that names both sides", () => {
  for (const tag of ["v0.1.1", "0.1.0", "v0.1.0-rc.1", "V0.1.0", "main"]) {
    const r = checkVersion("0.1.0", tag);
    assert.equal(r.kind, "mismatch", tag);
    assert.ok(
      r.kind === "mismatch" && r.message.includes(`"${tag}"`) && r.message.includes("0.1.0"),
    );
  }
});

Deno.test("checkVersion: no tag or an empty one is a dry build", () => {
  assert.equal(checkVersion("0.1.0", undefined).kind, "no-tag");
  assert.equal(checkVersion("0.1.0", "").kind, "no-tag");
});

Deno.test("checkVersion: a version that is not semver is refused", () => {
  assert.equal(checkVersion("0.1", "v0.1").kind, "bad-version");
  assert.equal(checkVersion("", undefined).kind, "bad-version");
});

Deno.test("the real deno.json version is semver", async () => {
  const { default: meta } = await import("../../deno.json", { with: { type: "json" } });
  assert.notEqual(checkVersion(meta.version, undefined).kind, "bad-version");
});

Deno.test("release script: a mismatched tag exits 3 before building anything", async () => {
  await withRoot("2.3.4", async (root) => {
    const r = await runRelease(["--root", root, "--skip-compile", "--tag", "v2.3.5"]);
    assert.equal(r.code, EXIT.versionMismatch, r.stderr);
    assert.match(r.stderr, /release tag "v2\.3\.5" does not match deno\.json version "2\.3\.4"/);
    await assert.rejects(Deno.stat(`${root}/dist/checksums.txt`), Deno.errors.NotFound);
  });
});

Deno.test("release script: GITHUB_REF_NAME is the tag on a tag push, ignored on a branch", async () => {
  await withRoot("2.3.4", async (root) => {
    const tagPush = await runRelease(["--root", root, "--skip-compile"], {
      GITHUB_REF_NAME: "v9.9.9",
      GITHUB_REF_TYPE: "tag",
    });
    assert.equal(tagPush.code, EXIT.versionMismatch, tagPush.stderr);
    const branchPush = await runRelease(["--root", root, "--skip-compile"], {
      GITHUB_REF_NAME: "main",
      GITHUB_REF_TYPE: "branch",
    });
    assert.equal(branchPush.code, EXIT.ok, branchPush.stderr);
    assert.match(branchPush.stderr, /no release tag given: local dry build of version 2\.3\.4/);
  });
});

Deno.test("release script: the matching tag is accepted and said", async () => {
  await withRoot("2.3.4", async (root) => {
    const r = await runRelease(["--root", root, "--skip-compile", "--tag", "v2.3.4"]);
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.match(r.stderr, /releasing v2\.3\.4/);
    assert.doesNotMatch(r.stderr, /dry build/);
  });
});
