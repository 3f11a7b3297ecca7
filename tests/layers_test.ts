// The floors of src/: a module may import its own folder and any floor below it, never one
// above it, nor a sibling on its own floor. Adding a folder means giving it a floor here.

import assert from "node:assert/strict";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/** The one file outside src/ a module may import: version.ts reads the version from it. */
const MANIFEST = fileURLToPath(new URL("../deno.json", import.meta.url));

/** Lowest first. A root file is its own unit; a folder is one unit. */
export const FLOORS: readonly (readonly string[])[] = [
  ["deps.ts", "version.ts", "duration.ts", "errors.ts"],
  ["text/"],
  ["log.ts"],
  ["budget/"],
  ["config/"],
  ["kube/"],
  ["auth/"],
  ["diagnose/", "fields/", "logs/", "portforward/", "secrets/", "table/", "usage/"],
  ["observability/"],
  ["mcp/"],
  ["tools/"],
  ["prompts/", "rbac/"],
  ["transports/"],
  ["app.ts"],
];

function unitOf(path: string): string {
  const rel = relative(SRC, path);
  const slash = rel.indexOf("/");
  return slash < 0 ? rel : rel.slice(0, slash + 1);
}

async function* modules(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = `${dir}${e.name}`;
    if (e.isDirectory) yield* modules(`${path}/`);
    else if (e.name.endsWith(".ts")) yield path;
  }
}

const SPECIFIER = /(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g;

Deno.test("src/: no module imports a floor above its own, nor a sibling folder", async () => {
  const floor = new Map(FLOORS.flatMap((units, i) => units.map((u) => [u, i] as const)));
  const wrong: string[] = [];
  let seen = 0;
  for await (const file of modules(SRC)) {
    const from = unitOf(file);
    assert.ok(floor.has(from), `${from} has no floor in tests/layers_test.ts`);
    for (const [, spec] of (await Deno.readTextFile(file)).matchAll(SPECIFIER)) {
      const target = resolve(dirname(file), spec!);
      const to = unitOf(target);
      seen++;
      if (to === from || target === MANIFEST) continue;
      if (!floor.has(to)) wrong.push(`${relative(SRC, file)} -> ${spec}: outside src/`);
      else if (floor.get(to)! >= floor.get(from)!) {
        wrong.push(`${relative(SRC, file)} -> ${spec} (${from} -> ${to})`);
      }
    }
  }
  assert.ok(seen > 100, `only ${seen} imports found: the pattern no longer matches`);
  assert.deepEqual(wrong, []);
});
