// Copies what the server needs at run time into a folder: the local modules of main.ts's graph
// (from `deno info --json`), a deno.json holding only the version (src/version.ts imports it),
// and deno.lock pruned to the npm packages those modules import. The npm package and the
// container image are built from this folder, so they ship the same files.

import { dirname, join } from "node:path";
import { type DenoInfo, type DenoLock, localFiles, npmSpecifiers, pruneLock } from "./graph.ts";

export interface Staged {
  version: string;
  /** Files copied, relative to the stage folder. */
  files: string[];
  /** deno.lock specifiers kept (the npm imports of the graph). */
  specifiers: string[];
  /** npm packages kept in the pruned lock. */
  packages: string[];
  /** npm packages in the repository's whole deno.lock. */
  lockPackages: number;
}

export async function denoInfo(root: string, entry = "main.ts"): Promise<DenoInfo> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`deno info --json ${entry} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(new TextDecoder().decode(out.stdout)) as DenoInfo;
}

export async function stage(root: string, out: string): Promise<Staged> {
  const info = await denoInfo(root);
  const files = localFiles(info, root);
  const meta = JSON.parse(await Deno.readTextFile(join(root, "deno.json"))) as { version: string };
  const lock = JSON.parse(
    await Deno.readTextFile(join(root, "deno.lock")).catch((e) => {
      if (e instanceof Deno.errors.NotFound) return '{ "version": "5" }';
      throw e;
    }),
  ) as DenoLock;
  const specifiers = npmSpecifiers(info);
  const pruned = pruneLock(lock, specifiers);
  await Deno.remove(out, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
  for (const file of files) {
    await Deno.mkdir(dirname(join(out, file)), { recursive: true });
    if (file === "deno.json") continue;
    await Deno.copyFile(join(root, file), join(out, file));
  }
  await Deno.writeTextFile(
    join(out, "deno.json"),
    JSON.stringify({ version: meta.version }, null, 2) + "\n",
  );
  await Deno.writeTextFile(join(out, "deno.lock"), JSON.stringify(pruned, null, 2) + "\n");
  return {
    version: meta.version,
    files: [...new Set([...files, "deno.json", "deno.lock"])].sort(),
    specifiers,
    packages: Object.keys(pruned.npm ?? {}),
    lockPackages: Object.keys(lock.npm ?? {}).length,
  };
}
