// Builds kube-apiserver and etcd from the pinned Go module (scripts/testenv/go) once, into a cache
// dir keyed on a hash of go.mod + go.sum + ldflags. Builds into a temp dir, then renames atomically.

import { join } from "node:path";
import { log } from "./log.ts";
import { cacheRoot, GO_MODULE_DIR } from "./paths.ts";

export const KUBE_VERSION = "v1.34.4";
/** Bump when the way binaries are built changes in a way the hash inputs don't capture. */
const RECIPE = "1";

export const LDFLAGS = [
  "-s",
  "-w",
  `-X k8s.io/component-base/version.gitVersion=${KUBE_VERSION}`,
  "-X k8s.io/component-base/version.gitMajor=1",
  "-X k8s.io/component-base/version.gitMinor=34",
  "-X k8s.io/component-base/version.gitTreeState=clean",
  `-X k8s.io/client-go/pkg/version.gitVersion=${KUBE_VERSION}`,
  "-X k8s.io/client-go/pkg/version.gitMajor=1",
  "-X k8s.io/client-go/pkg/version.gitMinor=34",
].join(" ");

const PACKAGES = ["k8s.io/kubernetes/cmd/kube-apiserver", "go.etcd.io/etcd/server/v3"];

export interface Binaries {
  dir: string;
  kubeApiserver: string;
  etcd: string;
}

function binariesIn(dir: string): Binaries {
  return { dir, kubeApiserver: join(dir, "kube-apiserver"), etcd: join(dir, "etcd") };
}

export async function cacheKey(): Promise<string> {
  const parts = [
    RECIPE,
    Deno.build.os,
    Deno.build.arch,
    await Deno.readTextFile(join(GO_MODULE_DIR, "go.mod")),
    await Deno.readTextFile(join(GO_MODULE_DIR, "go.sum")),
    LDFLAGS,
  ];
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\0")));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")
    .slice(0, 16);
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

async function run(
  cmd: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> },
) {
  const out = await new Deno.Command(cmd, { args, ...opts, stdout: "piped", stderr: "piped" })
    .output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.success, code: out.code, text };
}

/** Returns the cached binaries, building them first if this key has never been built. */
export async function ensureBinaries(): Promise<Binaries> {
  const root = cacheRoot();
  const key = await cacheKey();
  const final = join(root, key);
  const bins = binariesIn(final);
  if (await exists(join(final, "build.json"))) return bins;

  await Deno.mkdir(root, { recursive: true });
  const tmp = await Deno.makeTempDir({ dir: root, prefix: `.build-${key}-` });
  const buildLog = join(root, `build-${key}.log`);
  log(
    `building kube-apiserver ${KUBE_VERSION} and etcd into ${final} (log: ${buildLog}); ` +
      "a cold build takes several minutes",
  );
  const started = performance.now();
  const env = { CGO_ENABLED: "0", GOTOOLCHAIN: "local", GOFLAGS: "-modcacherw" };
  let res;
  try {
    res = await run(
      "go",
      ["build", "-trimpath", "-ldflags", LDFLAGS, "-o", tmp + "/", ...PACKAGES],
      {
        cwd: GO_MODULE_DIR,
        env,
      },
    );
  } catch (e) {
    await Deno.remove(tmp, { recursive: true });
    throw new Error(`step "go build" could not start (is Go installed and on PATH?): ${e}`);
  }
  await Deno.writeTextFile(buildLog, res.text);
  if (!res.ok) {
    await Deno.remove(tmp, { recursive: true });
    const tail = res.text.trim().split("\n").slice(-30).join("\n");
    throw new Error(
      `step "go build ${PACKAGES.join(" ")}" in ${GO_MODULE_DIR} failed (exit ${res.code}); ` +
        `full log in ${buildLog}; last lines:\n${tail}`,
    );
  }
  // The etcd main package is the root of go.etcd.io/etcd/server/v3, so its binary is named "server".
  await Deno.rename(join(tmp, "server"), join(tmp, "etcd"));
  const seconds = (performance.now() - started) / 1000;
  const tmpBins = binariesIn(tmp);
  const versions: Record<string, string> = {};
  for (const [name, path] of [["kube-apiserver", tmpBins.kubeApiserver], ["etcd", tmpBins.etcd]]) {
    const v = await run(path!, ["--version"], {});
    if (!v.ok) {
      await Deno.remove(tmp, { recursive: true });
      throw new Error(`built ${name} does not run (${path} --version):\n${v.text}`);
    }
    versions[name!] = v.text.trim().split("\n")[0]!;
  }
  await Deno.writeTextFile(
    join(tmp, "build.json"),
    JSON.stringify(
      { key, builtAt: new Date().toISOString(), seconds, versions, ldflags: LDFLAGS },
      null,
      2,
    ),
  );
  try {
    await Deno.rename(tmp, final);
  } catch (e) {
    // Someone else finished the same build first: theirs is as good as ours.
    await Deno.remove(tmp, { recursive: true });
    if (!(await exists(join(final, "build.json")))) throw e;
  }
  log(`built in ${seconds.toFixed(0)} s: ${versions["kube-apiserver"]}, ${versions["etcd"]}`);
  return bins;
}

/** The port-forward front of the fake kubelet (portforward/): its own Go module and cache key, so
 * changing it never rebuilds kube-apiserver/etcd (whose key is go/go.mod + go/go.sum). */
export const PORTFORWARD_MODULE_DIR = join(GO_MODULE_DIR, "..", "portforward");
const PORTFORWARD_RECIPE = "1";

/** Hash of the port-forward kubelet's sources (go.mod, go.sum, *.go) and recipe. */
export async function portForwardKey(): Promise<string> {
  const names = (await Array.fromAsync(Deno.readDir(PORTFORWARD_MODULE_DIR)))
    .filter((e) => e.isFile && /^(go\.mod|go\.sum|.*\.go)$/.test(e.name)).map((e) => e.name)
    .sort();
  const parts = [PORTFORWARD_RECIPE, Deno.build.os, Deno.build.arch];
  for (const n of names) parts.push(n, await Deno.readTextFile(join(PORTFORWARD_MODULE_DIR, n)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\0")));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")
    .slice(0, 16);
}

/** Returns the cached fake-kubelet port-forward binary, building it first when needed (seconds
 * with a warm Go build cache: it shares apimachinery's packages with the kube-apiserver build). */
export async function ensurePortForwardKubelet(): Promise<string> {
  const root = cacheRoot();
  const key = await portForwardKey();
  const final = join(root, `fake-kubelet-${key}`);
  const bin = join(final, "fake-kubelet");
  if (await exists(bin)) return bin;
  await Deno.mkdir(root, { recursive: true });
  const tmp = await Deno.makeTempDir({ dir: root, prefix: `.build-fake-kubelet-${key}-` });
  log(`building the fake kubelet's port-forward server into ${final}`);
  const res = await run(
    "go",
    ["build", "-trimpath", "-ldflags", "-s -w", "-o", join(tmp, "fake-kubelet"), "."],
    {
      cwd: PORTFORWARD_MODULE_DIR,
      env: { CGO_ENABLED: "0", GOTOOLCHAIN: "local", GOFLAGS: "-modcacherw" },
    },
  ).catch((e) => ({ ok: false, code: -1, text: String(e) }));
  if (!res.ok) {
    await Deno.remove(tmp, { recursive: true });
    throw new Error(
      `step "go build" in ${PORTFORWARD_MODULE_DIR} failed (exit ${res.code}):\n` +
        res.text.trim().split("\n").slice(-30).join("\n"),
    );
  }
  try {
    await Deno.rename(tmp, final);
  } catch (e) {
    await Deno.remove(tmp, { recursive: true });
    if (!(await exists(bin))) throw e;
  }
  return bin;
}
