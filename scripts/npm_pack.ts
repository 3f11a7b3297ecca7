// `deno task npm-pack`: builds the npm package mcp-kubernetes-ro-deno into dist/npm/package and
// packs it with `npm pack` into dist/npm/mcp-kubernetes-ro-deno-<version>.tgz (the release
// workflow publishes that file). dist/npm/package is also the container image's build context
// (Dockerfile). Prints the tarball's path on stdout.
//
// Flags: --root DIR (repository, default: this one), --out DIR (default: ROOT/dist/npm),
// --repo OWNER/NAME (package.json repository; default $GITHUB_REPOSITORY), --no-pack (stage only).

import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { bundle, BUNDLE_RUN_FLAGS } from "./release/bundle.ts";
import { BIN_FILE, NPM_NAME, packageJson } from "./release/npm_package.ts";
import { RELEASE_RUN_FLAGS } from "./release/permissions.ts";
import { launcherBudget } from "../src/budget/plan.ts";

function say(message: string): void {
  // deno-lint-ignore no-console
  console.error(`npm-pack: ${message}`);
}

const { values } = parseArgs({
  args: Deno.args,
  options: {
    root: { type: "string" },
    out: { type: "string" },
    repo: { type: "string" },
    "no-pack": { type: "boolean" },
  },
  strict: true,
});
const root = resolve(values.root ?? fileURLToPath(new URL("..", import.meta.url)));
const out = resolve(root, values.out ?? "dist/npm");
const pkg = join(out, "package");
const repo = values.repo ?? (Deno.env.get("GITHUB_REPOSITORY") || undefined);

await Deno.remove(pkg, { recursive: true }).catch((e) => {
  if (!(e instanceof Deno.errors.NotFound)) throw e;
});
const bundled = await bundle(root, pkg);
say(`bundled the server into ${bundled.files.length} files (${bundled.bytes} bytes) in ${pkg}`);
const { version } = JSON.parse(await Deno.readTextFile(join(root, "deno.json"))) as {
  version: string;
};
await Deno.mkdir(join(pkg, "bin"), { recursive: true });
await Deno.copyFile(join(root, "npm", BIN_FILE), join(pkg, BIN_FILE));
await Deno.chmod(join(pkg, BIN_FILE), 0o755);
await Deno.writeTextFile(
  join(pkg, "bin", "run_flags.json"),
  JSON.stringify([...BUNDLE_RUN_FLAGS, ...RELEASE_RUN_FLAGS]) + "\n",
);
// The figures the launcher sets V8's heap limit from (src/budget/plan.ts).
await Deno.writeTextFile(
  join(pkg, "bin", "budget.json"),
  JSON.stringify(launcherBudget()) + "\n",
);
await Deno.copyFile(join(root, "npm", "README.md"), join(pkg, "README.md"));
await Deno.copyFile(join(root, "LICENSE"), join(pkg, "LICENSE"));
// For `docker build dist/npm/package`; npm's "files" list keeps it out of the npm package.
await Deno.copyFile(join(root, ".dockerignore"), join(pkg, ".dockerignore"));
await Deno.writeTextFile(
  join(pkg, "package.json"),
  JSON.stringify(packageJson(version, repo), null, 2) + "\n",
);

if (!values["no-pack"]) {
  const npm = Deno.build.os === "windows" ? "npm.cmd" : "npm";
  const packed = await new Deno.Command(npm, {
    args: ["pack", "--json", "--pack-destination", out],
    cwd: pkg,
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!packed.success) {
    say("npm pack failed");
    Deno.exit(1);
  }
  const [info] = JSON.parse(new TextDecoder().decode(packed.stdout)) as {
    filename: string;
    size: number;
    unpackedSize: number;
  }[];
  say(`${NPM_NAME}: ${info!.size} bytes packed, ${info!.unpackedSize} unpacked`);
  // deno-lint-ignore no-console
  console.log(join(out, info!.filename));
}
