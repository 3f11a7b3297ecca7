// The bundle's guard (what counts as an import that would be fetched at run time), its command
// line, and the image's code-cache warm-up.

import assert from "node:assert/strict";
import { bundleArgs, foreignImports } from "../../scripts/release/bundle.ts";
import { RELEASE_V8_FLAGS } from "../../scripts/release/permissions.ts";
import { DEFAULT_BUDGET_BYTES, heapFlag } from "../../src/budget/plan.ts";

Deno.test("foreignImports() finds npm:, jsr: and remote imports in minified code", () => {
  const source = [
    'import{a as b}from"npm:zod@4.6.7";',
    'import"jsr:@std/path@1";',
    'const m=await import("https://example.com/x.js");',
    'export*from "http://example.com/y.js";',
  ].join("");
  assert.deepEqual(foreignImports(source), [
    "http://example.com/y.js",
    "https://example.com/x.js",
    "jsr:@std/path@1",
    "npm:zod@4.6.7",
  ]);
});

Deno.test("foreignImports() allows node: built-ins, own chunks and look-alike strings", () => {
  const source = [
    'import{spawn as s}from"node:child_process";',
    'import{c}from"./chunk-ABC.js";',
    'const x=()=>import("./oidc_auth-XYZ.js");',
    'const msg="install from npm: run npm i";',
    'const url="https://kubernetes.default.svc";',
  ].join("");
  assert.deepEqual(foreignImports(source), []);
});

Deno.test("bundleArgs(): minified, split at dynamic imports, from the frozen lock", () => {
  const args = bundleArgs("/out/server");
  for (const flag of ["--frozen", "--minify", "--code-splitting", "--platform=deno"]) {
    assert.ok(args.includes(flag), flag);
  }
  assert.deepEqual(args.slice(-3), ["--outdir", "/out/server", "main.ts"]);
});

Deno.test("the image warms V8's code cache under the V8 flags its ENTRYPOINT runs with", async () => {
  // V8 rejects a code cache made under other flags: a mismatch would make every container start
  // compile the bundle afresh.
  const dockerfile = await Deno.readTextFile(new URL("../../Dockerfile", import.meta.url));
  const warm = dockerfile.split("\n").find((l) => l.startsWith("RUN") && l.includes("main.js"));
  const entry = dockerfile.split("\n").find((l) => l.startsWith("ENTRYPOINT"));
  assert.ok(warm?.includes(`"${RELEASE_V8_FLAGS}"`), warm ?? "no RUN line runs main.js");
  assert.ok(entry?.includes(`"${RELEASE_V8_FLAGS}"`), entry ?? "no ENTRYPOINT");
  // Both stages set the default budget's heap limit the same way.
  const heap = dockerfile.split("\n").filter((l) => l.includes("DENO_V8_FLAGS="));
  assert.equal(heap.length, 2, heap.join("\n"));
  for (const line of heap) {
    assert.ok(line.includes(`DENO_V8_FLAGS=${heapFlag(DEFAULT_BUDGET_BYTES)}`), line);
  }
});
