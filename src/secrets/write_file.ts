// The server's only write: one Secret value into a new local file. Least privilege: the release
// permissions grant --allow-write=/tmp only, so the file goes into a fresh folder under the temp
// folder, or to an absolute `path` the server may write. Deno checks permissions on the path as
// written, without following symbolic links, so a link under /tmp could lead anywhere: the real
// (symlink-free) parent folder is checked here too, before anything is created.

import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { WriteError } from "../errors.ts";

export const TEMP_PREFIX = "mcp-kubernetes-ro-secret-";

async function granted(path: string): Promise<boolean> {
  return (await Deno.permissions.query({ name: "write", path })).state === "granted";
}

async function realPath(path: string): Promise<string | undefined> {
  try {
    return await Deno.realPath(path);
  } catch {
    return undefined;
  }
}

function inside(child: string, folder: string): boolean {
  return child === folder || child.startsWith(folder.endsWith("/") ? folder : `${folder}/`);
}

/** The candidate temp folders the server may write into, as given and with links resolved. */
async function writableRoots(roots: readonly string[]): Promise<{ given: string; real: string }[]> {
  const out = [];
  for (const given of new Set(roots)) {
    const real = await realPath(given);
    if (real && await granted(given)) out.push({ given, real });
  }
  return out;
}

/**
 * Throws unless `path` may be written: Deno grants it, and its real location (parent folder with
 * links resolved) is granted too, or lies inside a granted temp folder's real location (macOS's
 * /tmp is itself a link to /private/tmp).
 */
async function assertWritable(path: string, roots: readonly string[]): Promise<void> {
  const parent = dirname(path);
  const realParent = await realPath(parent);
  if (realParent === undefined) {
    throw new WriteError(`folder "${parent}" does not exist; parent folders are not created`);
  }
  const real = join(realParent, basename(path));
  const allowed = await writableRoots(roots);
  const ok = await granted(path) &&
    (await granted(real) || allowed.some((r) => inside(real, r.real)));
  if (!ok) {
    const where = allowed.length ? allowed.map((r) => r.given).join(", ") : "no folder";
    throw new WriteError(
      `path "${path}" is outside the folders this server may write to (${where}; symbolic ` +
        `links are followed). Choose a path inside ${
          allowed[0]?.given ?? "a permitted folder"
        }, or omit path to get a new file in the temp folder`,
    );
  }
}

/** Creates the file new and exclusive (never through an existing file or link), mode 0600. */
async function writeExclusive(path: string, bytes: Uint8Array): Promise<void> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { write: true, createNew: true, mode: 0o600 });
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) {
      throw new WriteError(`file "${path}" already exists, choose a new path`);
    }
    throw e;
  }
  try {
    // Whole buffer; write() may write less than asked.
    for (let off = 0; off < bytes.length;) off += await file.write(bytes.subarray(off));
    if (Deno.build.os !== "windows") await Deno.chmod(path, 0o600);
  } catch (e) {
    file.close();
    await Deno.remove(path).catch(() => {});
    throw e;
  }
  file.close();
}

/** The file name for a key: the key itself unless it cannot be one. */
export function fileNameFor(key: string): string {
  return key === "" || key === "." || key === ".." || /[\\/]/.test(key) ? "value" : key;
}

function randomDigits(): string {
  return String(crypto.getRandomValues(new Uint32Array(1))[0]);
}

/** A new folder mode 0700 directly inside the first temp folder the server may write. */
async function newTempFolder(roots: readonly string[]): Promise<string> {
  const [root] = await writableRoots(roots);
  if (!root) {
    throw new WriteError(
      `the server may not write to the temp folder (${[...new Set(roots)].join(", ")}); ` +
        `start it with write permission there, or use --encrypted-secret-access`,
    );
  }
  for (let attempt = 0;; attempt++) {
    const dir = join(root.given, `${TEMP_PREFIX}${randomDigits()}`);
    try {
      await Deno.mkdir(dir, { mode: 0o700 });
      if (Deno.build.os !== "windows") await Deno.chmod(dir, 0o700);
      return dir;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists) || attempt > 10) throw e;
    }
  }
}

export interface WriteRequest {
  bytes: Uint8Array;
  key: string;
  /** Absolute target path; a new temp folder when undefined. */
  path?: string;
  /** Temp folders in order of preference ($TMPDIR, then /tmp). */
  tempRoots: readonly string[];
}

/** Writes the value and returns the file's path. Leaves nothing behind on failure. */
export async function writeSecretFile(req: WriteRequest): Promise<string> {
  if (req.path !== undefined && req.path !== "") {
    if (!isAbsolute(req.path)) throw new WriteError(`path "${req.path}" must be absolute`);
    const path = resolve(req.path);
    await assertWritable(path, req.tempRoots);
    await writeExclusive(path, req.bytes);
    return path;
  }
  const dir = await newTempFolder(req.tempRoots);
  const path = join(dir, fileNameFor(req.key));
  try {
    await writeExclusive(path, req.bytes);
  } catch (e) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw e;
  }
  return path;
}
