// What the server needs at run time, read from its module graph (`deno info --json main.ts`):
// the local modules main.ts reaches, and the part of deno.lock its npm imports need. The npm
// package, the container image and the compiled binaries all ship exactly this set, so a module
// that leaves the import graph (or a dev-only npm package in deno.lock) is not shipped. Pure: the
// caller runs deno info and reads the lock.

/** The parts of `deno info --json` output used here. */
export interface DenoInfo {
  roots: string[];
  modules: { kind: string; specifier: string; local?: string; size?: number }[];
  redirects: Record<string, string>;
}

/** deno.lock version 5, the parts used here. */
export interface DenoLock {
  version: string;
  specifiers?: Record<string, string>;
  npm?: Record<string, { dependencies?: string[]; optionalDependencies?: string[] }>;
  [key: string]: unknown;
}

/** Local files of the graph, relative to root (main.ts, src/..., deno.json for the version). */
export function localFiles(info: DenoInfo, root: string): string[] {
  const prefix = `file://${root.replace(/\/$/, "")}/`;
  const files = info.modules
    .filter((m) => m.specifier.startsWith(prefix))
    .map((m) => decodeURIComponent(m.specifier.slice(prefix.length)));
  const outside = info.modules.filter((m) =>
    m.specifier.startsWith("file://") && !m.specifier.startsWith(prefix)
  );
  if (outside.length > 0) {
    throw new Error(`modules outside ${root}: ${outside.map((m) => m.specifier).join(", ")}`);
  }
  const remote = info.modules.filter((m) => /^(https?|jsr):/.test(m.specifier));
  if (remote.length > 0) {
    throw new Error(`remote modules cannot be shipped: ${remote.map((m) => m.specifier)}`);
  }
  return [...new Set(files)].sort();
}

/** `npm:@scope/name@1.2.3/sub/path` -> `npm:@scope/name@1.2.3`. */
export function packageSpecifier(specifier: string): string {
  const m = /^npm:\/?((?:@[^/]+\/)?[^/@]+@[^/]+)/.exec(specifier);
  if (!m) throw new Error(`not an npm specifier with a version: ${specifier}`);
  return `npm:${m[1]}`;
}

/** The npm specifiers the graph imports, as deno.lock's "specifiers" keys. */
export function npmSpecifiers(info: DenoInfo): string[] {
  const used = new Set<string>();
  for (const from of Object.keys(info.redirects)) {
    if (from.startsWith("npm:")) used.add(packageSpecifier(from));
  }
  for (const m of info.modules) {
    if (m.kind === "npm") used.add(packageSpecifier(m.specifier));
  }
  return [...used].sort();
}

/** The package name of a lock key: `@a/b@1.0.0_peer@2` -> `@a/b`. */
function nameOf(key: string): string {
  return key.slice(0, key.indexOf("@", 1));
}

/**
 * deno.lock cut down to the npm packages the graph's imports reach (the transitive closure over
 * the lock's own dependency lists), with the same resolutions. Everything else (the test
 * suite's and scripts' npm packages) is dropped, so `deno run --frozen` installs only these.
 */
export function pruneLock(lock: DenoLock, specifiers: readonly string[]): DenoLock {
  const npm = lock.npm ?? {};
  const resolveRef = (ref: string): string => {
    if (ref in npm) return ref;
    const candidates = Object.keys(npm).filter((k) => nameOf(k) === ref);
    if (candidates.length !== 1) {
      throw new Error(`deno.lock dependency "${ref}" matches ${candidates.length} packages`);
    }
    return candidates[0]!;
  };
  const keptSpecifiers: Record<string, string> = {};
  const queue: string[] = [];
  for (const spec of specifiers) {
    const resolved = lock.specifiers?.[spec];
    if (resolved === undefined) throw new Error(`${spec} is not in deno.lock: run deno cache`);
    keptSpecifiers[spec] = resolved;
    const bare = spec.replace(/^npm:/, "");
    queue.push(`${nameOf(bare)}@${resolved}`);
  }
  const keep = new Set<string>();
  while (queue.length > 0) {
    const key = resolveRef(queue.pop()!);
    if (keep.has(key)) continue;
    keep.add(key);
    const entry = npm[key]!;
    queue.push(...(entry.dependencies ?? []), ...(entry.optionalDependencies ?? []));
  }
  const keptNpm = Object.fromEntries(
    Object.keys(npm).filter((k) => keep.has(k)).map((k) => [
      k,
      npm[k]!,
    ]),
  );
  return { version: lock.version, specifiers: keptSpecifiers, npm: keptNpm };
}
