// The deno compile command line for one target, and what a failed compile's output means.

import { BUNDLE_ENTRY, BUNDLE_RUN_FLAGS } from "./bundle.ts";
import { RELEASE_RUN_FLAGS } from "./permissions.ts";
import { binaryPath, type Target } from "./targets.ts";

/**
 * Run in the folder the bundle was written to (scripts/release/bundle.ts): main.js and the chunks
 * it imports, with no npm package or lock left to resolve.
 */
export function compileArgs(target: Target, dist: string): string[] {
  return [
    "compile",
    ...BUNDLE_RUN_FLAGS,
    ...RELEASE_RUN_FLAGS,
    "--target",
    target.triple,
    "--output",
    `${dist}/${binaryPath(target)}`,
    BUNDLE_ENTRY,
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
