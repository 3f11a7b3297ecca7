// The npm package `mcp-kubernetes-ro-deno`: what its package.json says. Pure.
//
// Name: the Go server publishes as @patrickdappollonio/mcp-kubernetes-ro, a scope that is not
// ours, and the bare name `mcp-kubernetes-ro` would pass us off as that project on npm. So this
// port is `mcp-kubernetes-ro-deno` (unscoped, free on npm when chosen), with two bins: the
// package's own name (what `npx -y mcp-kubernetes-ro-deno` runs) and `mcp-kubernetes-ro` (the
// Go server's binary name, for a global install).

import { NAME } from "./targets.ts";

export const NPM_NAME = "mcp-kubernetes-ro-deno";
/** The Deno the package runs on: the `deno` npm package, pinned like everywhere else. */
export const DENO_VERSION = "2.9.6";
export const BIN_FILE = "bin/mcp-kubernetes-ro.cjs";

export function packageJson(version: string, repo: string | undefined): Record<string, unknown> {
  return {
    name: NPM_NAME,
    version,
    description:
      "Read-only Kubernetes MCP server for AI assistants (Deno port of mcp-kubernetes-ro)",
    license: "MIT",
    keywords: ["mcp", "kubernetes", "model-context-protocol", "read-only", "deno"],
    ...(repo
      ? {
        repository: { type: "git", url: `git+https://github.com/${repo}.git` },
        homepage: `https://github.com/${repo}#readme`,
      }
      : {}),
    bin: { [NPM_NAME]: BIN_FILE, [NAME]: BIN_FILE },
    files: ["bin/", "server/", "README.md", "LICENSE"],
    dependencies: { deno: DENO_VERSION },
    engines: { node: ">=18" },
  };
}
