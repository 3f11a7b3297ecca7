// `deno task release`: compiles the server for every release target, packs each binary with
// README.md and LICENSE into dist/<archive>, writes dist/checksums.txt and renders the Homebrew
// formula dist/Formula/mcp-kubernetes-ro.rb. The pure steps live in scripts/release/; this file
// only reads, runs and writes. scripts/RELEASE.md describes the whole release.
//
// Exit codes:
//   0  ok
//   1  build failed (deno compile error, missing README.md, LICENSE or binary)
//   2  usage error
//   3  the release tag does not match deno.json's "version"
//   4  the Deno runtime (denort) cannot be downloaded from dl.deno.land or found at DENORT_BIN

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { archiveName, binaryName, binaryPath, NAME, type Target } from "./release/targets.ts";
import { checkVersion } from "./release/version_check.ts";
import { renderChecksums, sha256Hex } from "./release/checksums.ts";
import { renderFormula } from "./release/formula.ts";
import { type ArchiveEntry, tarGz, zip } from "./release/archive.ts";
import { classifyCompileFailure, compileArgs, downloadStarted } from "./release/compile.ts";
import { bundle } from "./release/bundle.ts";
import { EXIT, parseOptions, type ReleaseOptions, USAGE, UsageError } from "./release/options.ts";

function say(message: string): void {
  // deno-lint-ignore no-console
  console.error(`release: ${message}`);
}

class Stop extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

async function readInput(path: string, what: string): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new Stop(EXIT.failed, `${what} not found: ${path}`);
    }
    throw e;
  }
}

async function readVersion(root: string): Promise<string> {
  const text = new TextDecoder().decode(await readInput(join(root, "deno.json"), "deno.json"));
  const version = (JSON.parse(text) as { version?: unknown }).version;
  if (typeof version !== "string") {
    throw new Stop(EXIT.failed, `deno.json in ${root} has no "version" string`);
  }
  return version;
}

/** Copies a child's stream to our stderr while keeping its text for classification. */
async function tee(stream: ReadableStream<Uint8Array>, sink: string[]): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    await Deno.stderr.write(chunk);
    sink.push(decoder.decode(chunk, { stream: true }));
  }
}

async function compile(
  opts: ReleaseOptions,
  dist: string,
  staged: string,
  target: Target,
): Promise<void> {
  const args = compileArgs(target, dist);
  // deno compile will not overwrite a file it did not write, and a binary left from an earlier
  // build must never be packaged as this one.
  await Deno.remove(join(dist, binaryPath(target))).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  say(`deno ${args.join(" ")}`);
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: staged,
    // DENORT_BIN and proxy settings pass through with the rest of the environment.
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, opts.timeoutSeconds * 1000);
  const [status] = await Promise.all([
    child.status,
    tee(child.stdout, output),
    tee(child.stderr, output),
  ]);
  clearTimeout(timer);
  const text = output.join("");
  if (status.success && !timedOut) return;
  const runtimeHelp = "deno compile needs the Deno runtime (denort) for " +
    `${target.triple}, which it downloads from https://dl.deno.land unless DENORT_BIN names ` +
    "a local copy. This machine cannot get it: build releases on a machine with internet " +
    "(the release workflow does), or set DENORT_BIN to a denort binary for this target.";
  if (timedOut) {
    if (downloadStarted(text)) {
      throw new Stop(
        EXIT.runtimeUnavailable,
        `the runtime download did not finish in ${opts.timeoutSeconds}s. ${runtimeHelp}`,
      );
    }
    throw new Stop(EXIT.failed, `deno compile did not finish in ${opts.timeoutSeconds}s`);
  }
  if (classifyCompileFailure(text) === "runtime-unavailable") {
    throw new Stop(EXIT.runtimeUnavailable, runtimeHelp);
  }
  throw new Stop(EXIT.failed, `deno compile failed for ${target.triple} (exit ${status.code})`);
}

async function pack(
  dist: string,
  target: Target,
  docs: ArchiveEntry[],
  mtime: number,
): Promise<string> {
  const binary = await readInput(join(dist, binaryPath(target)), `${target.triple} binary`);
  const entries = [{ name: binaryName(target), data: binary, mode: 0o755 }, ...docs];
  const name = archiveName(target);
  const bytes = target.os === "windows" ? await zip(entries, mtime) : await tarGz(entries, mtime);
  await Deno.writeFile(join(dist, name), bytes);
  say(`wrote ${join(dist, name)} (${bytes.length} bytes)`);
  return name;
}

async function run(opts: ReleaseOptions): Promise<void> {
  const version = await readVersion(opts.root);
  const check = checkVersion(version, opts.tag);
  switch (check.kind) {
    case "bad-version":
      throw new Stop(EXIT.failed, check.message);
    case "mismatch":
      throw new Stop(EXIT.versionMismatch, check.message);
    case "no-tag":
      say(`no release tag given: local dry build of version ${version}, not for publishing`);
      break;
    case "match":
      say(`releasing ${check.tag}`);
  }
  if (opts.repoIsPlaceholder) {
    say(`no --repo or GITHUB_REPOSITORY: download URLs use the placeholder ${opts.repo}`);
  }
  const dist = resolve(opts.root, opts.dist);
  const docs: ArchiveEntry[] = [];
  for (const name of ["README.md", "LICENSE"]) {
    docs.push({ name, data: await readInput(join(opts.root, name), name), mode: 0o644 });
  }

  if (opts.skipCompile) {
    say(`--skip-compile: packaging the binaries already in ${dist}`);
  } else {
    const denort = Deno.env.get("DENORT_BIN");
    if (denort) {
      say(`DENORT_BIN=${denort}: every target gets this one runtime, so build only its target`);
    }
    // Compile the bundle the npm package and the image ship: what is embedded is only the
    // code main.ts reaches (2.5 MB), where the source graph embedded every npm package it
    // imports whole (84 MB, most of it client-node's generated API).
    const stageDir = join(dist, "stage");
    const bundled = await bundle(opts.root, stageDir);
    say(`bundled the server into ${bundled.files.length} files (${bundled.bytes} bytes)`);
    for (const target of opts.targets) await compile(opts, dist, stageDir, target);
  }

  const epoch = Number(Deno.env.get("SOURCE_DATE_EPOCH"));
  const mtime = Number.isFinite(epoch) && epoch > 0 ? epoch : Math.floor(Date.now() / 1000);
  const sums = new Map<string, string>();
  for (const target of opts.targets) {
    const name = await pack(dist, target, docs, mtime);
    sums.set(name, await sha256Hex(await Deno.readFile(join(dist, name))));
  }
  await Deno.writeTextFile(join(dist, "checksums.txt"), renderChecksums(sums));
  say(`wrote ${join(dist, "checksums.txt")}`);

  const unix = opts.targets.filter((t) => t.os !== "windows").length;
  if (unix < 4) {
    say("not every macOS and Linux target was built: no Homebrew formula");
    return;
  }
  await Deno.mkdir(join(dist, "Formula"), { recursive: true });
  const formula = join(dist, "Formula", `${NAME}.rb`);
  await Deno.writeTextFile(formula, renderFormula({ version, repo: opts.repo, sums }));
  say(`wrote ${formula}`);
}

async function main(): Promise<number> {
  let opts: ReleaseOptions;
  try {
    opts = parseOptions(
      Deno.args,
      Deno.env.toObject(),
      fileURLToPath(new URL("..", import.meta.url)),
    );
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    say(e.message);
    say(USAGE);
    return EXIT.usage;
  }
  if (opts.help) {
    say(USAGE);
    return EXIT.ok;
  }
  try {
    await run(opts);
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    say(`error: ${e.message}`);
    return e.code;
  }
}

if (import.meta.main) Deno.exit(await main());
