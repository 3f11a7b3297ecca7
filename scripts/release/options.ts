// The release script's command line and environment, parsed into one plain object, plus the
// exit codes it documents. Pure: no file or process access.

import { parseArgs } from "node:util";
import { findTarget, type Target, TARGETS } from "./targets.ts";

export const EXIT = {
  ok: 0,
  /** deno compile failed for another reason, or an input file is missing. */
  failed: 1,
  usage: 2,
  versionMismatch: 3,
  /** The Deno runtime (denort) could not be downloaded or found. */
  runtimeUnavailable: 4,
} as const;

/** Used when neither --repo nor GITHUB_REPOSITORY says where the release lives. */
export const PLACEHOLDER_REPO = "OWNER/mcp-kubernetes-ro";

export interface ReleaseOptions {
  tag: string | undefined;
  repo: string;
  repoIsPlaceholder: boolean;
  targets: Target[];
  /** Repository root: deno.json, main.ts, README.md and LICENSE are read from here. */
  root: string;
  /** Output directory, relative to root unless absolute. */
  dist: string;
  /** Package binaries already in dist/<target>/ instead of compiling them. */
  skipCompile: boolean;
  /** Seconds one deno compile may take before it is stopped. */
  timeoutSeconds: number;
  help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: deno task release [flags]

Flags:
  --tag vX.Y.Z        Release tag; must be v + deno.json's version (default: $GITHUB_REF_NAME
                      when $GITHUB_REF_TYPE is not "branch"; none means a local dry build)
  --repo OWNER/NAME   GitHub repository for download URLs (default: $GITHUB_REPOSITORY, else
                      ${PLACEHOLDER_REPO})
  --target TRIPLE     Build only this target (repeatable; default: all five)
  --dist DIR          Output directory (default: dist)
  --root DIR          Repository root (default: this script's repository)
  --skip-compile      Package the binaries already in DIST/<target>/ instead of compiling
  --timeout SECONDS   Stop a deno compile that runs longer than this (default: 900)
  -h, --help          Show this help

Environment: DENORT_BIN (a local denort runtime, passed to deno compile), SOURCE_DATE_EPOCH
(archive timestamps).

Exit codes: 0 ok, 1 build failed, 2 usage, 3 tag does not match deno.json's version,
4 the Deno runtime (denort) cannot be downloaded or found.`;

export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  defaultRoot: string,
): ReleaseOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        tag: { type: "string" },
        repo: { type: "string" },
        target: { type: "string", multiple: true },
        dist: { type: "string" },
        root: { type: "string" },
        "skip-compile": { type: "boolean" },
        timeout: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const targets = (values.target ?? TARGETS.map((t) => t.triple)).map((triple) => {
    const t = findTarget(triple);
    if (!t) {
      throw new UsageError(
        `unknown target "${triple}"; one of ${TARGETS.map((t) => t.triple).join(", ")}`,
      );
    }
    return t;
  });
  const repoGiven = values.repo ?? (env.GITHUB_REPOSITORY || undefined);
  if (repoGiven !== undefined && !/^[\w.-]+\/[\w.-]+$/.test(repoGiven)) {
    throw new UsageError(`repository "${repoGiven}" is not OWNER/NAME`);
  }
  const timeoutSeconds = Number(values.timeout ?? "900");
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
    throw new UsageError(`--timeout takes a positive number of seconds, got "${values.timeout}"`);
  }
  const tagFromEnv = env.GITHUB_REF_TYPE === "branch" ? undefined : env.GITHUB_REF_NAME;
  return {
    tag: values.tag ?? (tagFromEnv || undefined),
    repo: repoGiven ?? PLACEHOLDER_REPO,
    repoIsPlaceholder: repoGiven === undefined,
    targets,
    root: values.root ?? defaultRoot,
    dist: values.dist ?? "dist",
    skipCompile: values["skip-compile"] ?? false,
    timeoutSeconds,
    help: values.help ?? false,
  };
}
