// The deno compile command line for one target, and what a failed compile's output means.

import { RELEASE_RUN_FLAGS } from "./permissions.ts";
import { binaryPath, type Target } from "./targets.ts";

/**
 * Run in the staged folder (scripts/release/stage.ts): only the server's module graph and the npm
 * packages it imports are there to embed, resolved from the pruned deno.lock.
 */
export function compileArgs(target: Target, dist: string): string[] {
  return [
    "compile",
    "--no-config",
    "--lock=deno.lock",
    "--frozen",
    // Missing permissions must fail, not prompt: stdin is the MCP channel in stdio mode.
    "--no-prompt",
    ...RELEASE_RUN_FLAGS,
    "--target",
    target.triple,
    "--output",
    `${dist}/${binaryPath(target)}`,
    "main.ts",
  ];
}

export type CompileFailure = "runtime-unavailable" | "other";

/**
 * deno compile fetches the runtime (denort) for the target from dl.deno.land unless DENORT_BIN
 * names a local one. Both ways of not getting it are told apart from real compile errors.
 */
export function classifyCompileFailure(output: string): CompileFailure {
  return /dl\.deno\.land|denort-[\w-]+\.zip|Could not find denort|Setting up base binary/.test(
      output,
    )
    ? "runtime-unavailable"
    : "other";
}

/** True when the output shows the runtime download started: a hang there is a download hang. */
export function downloadStarted(output: string): boolean {
  return /Download\S*\s+https:\/\/dl\.deno\.land\//.test(output);
}
