// podman on these machines, as ../shared/notes/containers.md measured it: runc (crun fails on
// hybrid cgroups), cgroupfs and no default ulimits (containers.conf), modest explicit ulimits,
// host networking (the test cluster listens on 127.0.0.1). And the local base images the
// Dockerfile is built from here, since no registry is reachable: a build base holding the pinned
// deno binary, and a runtime base holding only the C libraries it links. Not a test file.

import { dirname, join } from "node:path";
import { exec, type Output } from "./_helpers.ts";

export const BUILD_BASE = `localhost/mcp-kubernetes-ro-test/deno-base:${Deno.version.deno}`;
export const RUNTIME_BASE = `localhost/mcp-kubernetes-ro-test/runtime-base:${Deno.version.deno}`;

const CONTAINERS_CONF = `[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
`;

/** Flags every podman run and build here needs (containers.md settings 3 and 4). */
export const LIMITS = [
  "--ulimit",
  "nofile=1024:1024",
  "--ulimit",
  "nproc=1024:1024",
  "--network",
  "host",
];

let confPath: Promise<string> | undefined;

function conf(): Promise<string> {
  confPath ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "podman_conf_" });
    await Deno.writeTextFile(join(dir, "containers.conf"), CONTAINERS_CONF);
    return join(dir, "containers.conf");
  })();
  return confPath;
}

/** podman with the runtime and config these machines need. */
export async function podman(
  args: string[],
  options: { stdin?: Uint8Array } = {},
): Promise<Output> {
  const env = { CONTAINERS_CONF: await conf() };
  if (!options.stdin) return exec("podman", ["--runtime", "runc", ...args], { env });
  const child = new Deno.Command("podman", {
    args: ["--runtime", "runc", ...args],
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(options.stdin);
  await writer.close();
  const out = await child.output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

/** The podman command line prefix (for an SDK client transport that spawns podman itself). */
export async function podmanCommand(): Promise<
  { command: string; prefix: string[]; env: Record<string, string> }
> {
  return {
    command: "podman",
    prefix: ["--runtime", "runc"],
    env: { CONTAINERS_CONF: await conf() },
  };
}

async function ldd(binary: string): Promise<string[]> {
  const out = await exec("ldd", [binary]);
  if (out.code !== 0) throw new Error(`ldd ${binary}: ${out.stderr}`);
  return [...out.stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]!);
}

async function importRootfs(name: string, files: Map<string, string>): Promise<Output> {
  const root = await Deno.makeTempDir({ prefix: "rootfs_" });
  try {
    for (const [inImage, fromHost] of files) {
      await Deno.mkdir(join(root, dirname(inImage)), { recursive: true });
      await Deno.copyFile(fromHost, join(root, inImage));
      await Deno.chmod(join(root, inImage), 0o755);
    }
    for (const dir of ["tmp", "home/nonroot", "etc"]) {
      await Deno.mkdir(join(root, dir), { recursive: true });
    }
    await Deno.chmod(join(root, "tmp"), 0o1777);
    const tar = await new Deno.Command("tar", {
      args: ["-C", root, "--owner=0", "--group=0", "-c", "."],
      stdout: "piped",
    }).output();
    return await podman(["import", "-", name], { stdin: tar.stdout });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

let bases: Promise<void> | undefined;

/** Makes the two local base images once (kept across runs: they depend only on deno). */
export function ensureBases(): Promise<void> {
  bases ??= (async () => {
    const deno = await Deno.realPath(Deno.execPath());
    const libs = await ldd(deno);
    const libFiles = new Map(
      await Promise.all(libs.map(async (l) => [l, await Deno.realPath(l)] as [string, string])),
    );
    for (
      const [name, files] of [
        [BUILD_BASE, new Map([...libFiles, ["/usr/bin/deno", deno]])],
        [RUNTIME_BASE, libFiles],
      ] as const
    ) {
      if ((await podman(["image", "exists", name])).code === 0) continue;
      const r = await importRootfs(name, files);
      if (r.code !== 0) throw new Error(`podman import ${name}: ${r.stderr}`);
    }
  })();
  return bases;
}

/** sha256 (first 16 hex digits) over the relative paths and bytes of every file under dir. */
async function contentHash(dir: string): Promise<string> {
  const files: string[] = [];
  const walk = async (sub: string) => {
    for await (const e of Deno.readDir(join(dir, sub))) {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory) await walk(rel);
      else files.push(rel);
    }
  };
  await walk("");
  const parts: Uint8Array[] = [];
  for (const f of files.sort()) {
    parts.push(new TextEncoder().encode(`${f}\0`), await Deno.readFile(join(dir, f)));
  }
  const digest = await crypto.subtle.digest(
    "SHA-256",
    await new Blob(parts as BlobPart[]).arrayBuffer(),
  );
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("").slice(
    0,
    16,
  );
}

let built: Promise<string> | undefined;

/** Stages the server (deno task npm-pack --no-pack) and builds the image once; returns its tag. */
export function buildImage(root: string): Promise<string> {
  built ??= (async () => {
    await ensureBases();
    const out = await Deno.makeTempDir({ prefix: "image_ctx_" });
    const stage = await exec(Deno.execPath(), ["task", "npm-pack", "--out", out, "--no-pack"], {
      cwd: root,
    });
    if (stage.code !== 0) throw new Error(`npm-pack: ${stage.stderr}`);
    // Tagged by the context's content: test runs in other checkouts on this machine build their
    // own sources under their own tag, and an unchanged checkout reuses its image.
    // The Dockerfile goes into the hash too: a changed recipe must not reuse an older image.
    await Deno.copyFile(join(root, "Dockerfile"), join(out, "package", "Dockerfile"));
    const tag = `localhost/mcp-kubernetes-ro-test/server:${await contentHash(
      join(out, "package"),
    )}`;
    const r = await podman([
      "build",
      ...LIMITS,
      "--build-arg",
      `BUILD_IMAGE=${BUILD_BASE}`,
      "--build-arg",
      `RUNTIME_IMAGE=${RUNTIME_BASE}`,
      "-f",
      join(root, "Dockerfile"),
      "-t",
      tag,
      join(out, "package"),
    ]);
    if (r.code !== 0) throw new Error(`podman build failed:\n${r.stdout}\n${r.stderr}`);
    return tag;
  })();
  return built;
}
