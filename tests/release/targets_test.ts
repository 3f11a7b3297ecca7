// The build matrix and the names of what it produces.

import assert from "node:assert/strict";
import { archiveName, binaryName, binaryPath, TARGETS } from "../../scripts/release/targets.ts";

Deno.test("the five release targets are the ones the issue names", () => {
  assert.deepEqual(TARGETS.map((t) => t.triple).sort(), [
    "aarch64-apple-darwin",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "x86_64-pc-windows-msvc",
    "x86_64-unknown-linux-gnu",
  ]);
});

Deno.test("archive names follow the Go server's goreleaser names", () => {
  const byTriple = Object.fromEntries(TARGETS.map((t) => [t.triple, archiveName(t)]));
  assert.deepEqual(byTriple, {
    "x86_64-unknown-linux-gnu": "mcp-kubernetes-ro_linux_x86_64.tar.gz",
    "aarch64-unknown-linux-gnu": "mcp-kubernetes-ro_linux_arm64.tar.gz",
    "x86_64-apple-darwin": "mcp-kubernetes-ro_darwin_x86_64.tar.gz",
    "aarch64-apple-darwin": "mcp-kubernetes-ro_darwin_arm64.tar.gz",
    "x86_64-pc-windows-msvc": "mcp-kubernetes-ro_windows_x86_64.zip",
  });
});

Deno.test("only the Windows binary has .exe, and each target has its own output path", () => {
  for (const t of TARGETS) {
    assert.equal(binaryName(t), t.os === "windows" ? "mcp-kubernetes-ro.exe" : "mcp-kubernetes-ro");
  }
  assert.equal(new Set(TARGETS.map(binaryPath)).size, TARGETS.length);
  assert.equal(new Set(TARGETS.map(archiveName)).size, TARGETS.length);
});
