// The deno compile step: its command line, and the real `deno compile` failing to get the
// runtime (denort). The download is made to fail the same way on any machine by pointing
// HTTPS_PROXY at a local port, with a fresh DENO_DIR so no cached runtime can be used; this
// machine's own lack of internet fails the same way without the proxy.

import assert from "node:assert/strict";
import {
  classifyCompileFailure,
  compileArgs,
  downloadStarted,
} from "../../scripts/release/compile.ts";
import { EXIT } from "../../scripts/release/options.ts";
import { RELEASE_PERMISSIONS, RELEASE_V8_FLAGS } from "../../scripts/release/permissions.ts";
import { archiveName, findTarget, TARGETS } from "../../scripts/release/targets.ts";
import { REPO_ROOT, run, runRelease, withRoot, withTempDir } from "./_helpers.ts";
import { bundleArgs } from "../../scripts/release/bundle.ts";
import { DEFAULT_BUDGET_BYTES, heapMiBFor } from "../../src/budget/plan.ts";

const LINUX = findTarget("x86_64-unknown-linux-gnu")!;

Deno.test("compileArgs: the bundle, release permissions and V8 flags, target, output", () => {
  assert.deepEqual(compileArgs(LINUX, "/d"), [
    "compile",
    "--no-config",
    "--no-lock",
    "--no-npm",
    "--no-remote",
    "--no-prompt",
    ...RELEASE_PERMISSIONS,
    // The default budget's heap limit, baked in (a binary has no launcher to compute it).
    `${RELEASE_V8_FLAGS},--max-old-space-size=${heapMiBFor(DEFAULT_BUDGET_BYTES)}`,
    "--target",
    "x86_64-unknown-linux-gnu",
    "--output",
    "/d/x86_64-unknown-linux-gnu/mcp-kubernetes-ro",
    "server/main.js",
  ]);
  const win = compileArgs(findTarget("x86_64-pc-windows-msvc")!, "/d");
  assert.ok(win.includes("/d/x86_64-pc-windows-msvc/mcp-kubernetes-ro.exe"));
});

Deno.test("compileArgs never grants everything, writes, or FFI", () => {
  for (const t of TARGETS) {
    for (const arg of compileArgs(t, "dist")) {
      // The one write permission is scoped to /tmp (save_secret_to_file); never unscoped.
      assert.ok(!/^(-A|--allow-all|--allow-ffi|--allow-import)/.test(arg), arg);
      assert.ok(!/^--allow-write/.test(arg) || arg === "--allow-write=/tmp", arg);
      assert.ok(!arg.startsWith("--include"), arg);
    }
  }
});

// Captured from deno 2.9.6 on a machine without internet (NO_COLOR=1).
const DNS_FAILURE = `Compile main.ts to dist/x/mcp-kubernetes-ro
Download https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip
error: Writing deno compile executable to temporary file 'dist/x/mcp-kubernetes-ro.tmp-8d7b'

Caused by:
    0: Setting up base binary.
    1: error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip): client error (Connect): dns error: failed to lookup address information: Name or service not known
`;
const MISSING_DENORT_BIN = `Compile a.ts to out/b
error: Writing deno compile executable to temporary file 'out/b.tmp-c094'

Caused by:
    0: Could not find denort at '/nonexistent'
    1: No such file or directory (os error 2)
`;
const TYPE_ERROR = `Check main.ts
TS2322 [ERROR]: Type 'number' is not assignable to type 'string'.
const x: string = 1;
    at file:///work/main/main.ts:1:7
error: Type checking failed.
`;

Deno.test("classifyCompileFailure tells a missing runtime from a compile error", () => {
  assert.equal(classifyCompileFailure(DNS_FAILURE), "runtime-unavailable");
  assert.equal(classifyCompileFailure(MISSING_DENORT_BIN), "runtime-unavailable");
  assert.equal(classifyCompileFailure(TYPE_ERROR), "other");
  assert.equal(classifyCompileFailure("error: The lockfile is out of date."), "other");
  assert.ok(downloadStarted(DNS_FAILURE));
  assert.ok(!downloadStarted(TYPE_ERROR));
});

/** A local port that refuses connections: listen, note the port, close. */
function closedPort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * The release bundles before it compiles (scripts/release/bundle.ts), and deno bundle fetches its
 * esbuild from npm once per DENO_DIR: fetched here first, so that the proxy under test sees only
 * the runtime download.
 */
async function warmBundler(root: string, denoDir: string): Promise<void> {
  const warm = await run(Deno.execPath(), bundleArgs(`${denoDir}/warm`), {
    cwd: root,
    env: { ...Deno.env.toObject(), DENO_DIR: denoDir },
  });
  assert.equal(warm.code, 0, warm.stderr);
}

Deno.test("release: real deno compile cannot download the runtime -> exit 4, says why", async () => {
  await withRoot("0.0.1", async (root) => {
    await withTempDir(async (denoDir) => {
      await warmBundler(root, denoDir);
      const started = performance.now();
      const r = await runRelease(["--root", root, "--target", LINUX.triple, "--timeout", "120"], {
        DENO_DIR: denoDir,
        HTTPS_PROXY: `http://127.0.0.1:${closedPort()}`,
      });
      assert.equal(r.code, EXIT.runtimeUnavailable, r.stderr);
      // deno compile's own output is shown, then our explanation.
      assert.match(r.stderr, /Download https:\/\/dl\.deno\.land\/release\/v[\d.]+\/denort-/);
      assert.match(r.stderr, /release: error: deno compile needs the Deno runtime \(denort\)/);
      assert.match(r.stderr, /downloads from https:\/\/dl\.deno\.land unless DENORT_BIN/);
      assert.ok(performance.now() - started < 60_000, "it failed fast, not by a timeout");
      await assert.rejects(Deno.stat(`${root}/dist/checksums.txt`), Deno.errors.NotFound);
    });
  });
});

Deno.test("release: a download that hangs is stopped by --timeout -> exit 4", async () => {
  // A proxy that accepts connections and never answers.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  try {
    await withRoot("0.0.1", async (root) => {
      await withTempDir(async (denoDir) => {
        await warmBundler(root, denoDir);
        const started = performance.now();
        const r = await runRelease(["--root", root, "--target", LINUX.triple, "--timeout", "8"], {
          DENO_DIR: denoDir,
          HTTPS_PROXY: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
        });
        const seconds = (performance.now() - started) / 1000;
        assert.equal(r.code, EXIT.runtimeUnavailable, r.stderr);
        assert.match(r.stderr, /the runtime download did not finish in 8s/);
        assert.ok(seconds >= 8 && seconds < 60, `took ${seconds}s`);
        assert.ok(held.length > 0, "deno compile did reach the proxy");
      });
    });
  } finally {
    listener.close();
    for (const c of held) c.close();
    await accepting.catch(() => {});
  }
});

Deno.test("release: DENORT_BIN naming a missing file -> exit 4", async () => {
  await withRoot("0.0.1", async (root) => {
    const r = await runRelease(["--root", root, "--target", LINUX.triple], {
      DENORT_BIN: `${root}/no-such-denort`,
    });
    assert.equal(r.code, EXIT.runtimeUnavailable, r.stderr);
    assert.match(r.stderr, /Could not find denort/);
    assert.match(r.stderr, /DENORT_BIN=.*no-such-denort: every target gets this one runtime/);
  });
});

// What this proves: release.ts's compile -> archive -> checksum wiring works with a runtime
// present, and deno compile accepts its arguments. What it does NOT prove: that the product
// runs. DENORT_BIN is set to the full deno CLI, so the "binary" is deno itself, not our server;
// the archived file is checked to be exactly that. A trivial stand-in main.ts keeps it fast.
Deno.test("release pipeline with DENORT_BIN=<deno CLI> (wiring only, not the product)", async () => {
  const host = TARGETS.find((t) => t.triple === Deno.build.target);
  assert.ok(host, `the release matrix covers this test host (${Deno.build.target})`);
  await withRoot("0.0.1", async (root) => {
    const r = await runRelease(["--root", root, "--target", host.triple], {
      DENORT_BIN: Deno.execPath(),
    });
    assert.equal(r.code, EXIT.ok, r.stderr);
    const compiled = `${root}/dist/${host.triple}/mcp-kubernetes-ro`;
    const version = await run(compiled, ["--version"]);
    assert.match(version.stdout, /^deno \d+\.\d+\.\d+/, "the output is the deno CLI, as expected");

    const out = `${root}/x`;
    await Deno.mkdir(out);
    const archive = `${root}/dist/${archiveName(host)}`;
    assert.equal((await run("tar", ["-xzf", archive, "-C", out])).code, 0);
    assert.deepEqual(
      await Deno.readFile(`${out}/mcp-kubernetes-ro`),
      await Deno.readFile(compiled),
    );
    const check = await run("sha256sum", ["-c", "checksums.txt"], { cwd: `${root}/dist` });
    assert.equal(check.code, 0, check.stdout);
  });
});

/** The checkout as it is (tracked and new files, no ignored ones) copied to a temp dir. */
async function copyCheckout(to: string): Promise<void> {
  const ls = await run("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: REPO_ROOT });
  assert.equal(ls.code, 0, ls.stderr);
  for (const path of ls.stdout.split("\0").filter(Boolean)) {
    const dest = `${to}/${path}`;
    await Deno.mkdir(dest.slice(0, dest.lastIndexOf("/")), { recursive: true });
    await Deno.copyFile(`${REPO_ROOT}/${path}`, dest).catch((e) => {
      // a file deleted in the work tree but not yet in the index
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
  }
}

// The real main.ts is bundled from its npm graph and deno.lock (--frozen) and the bundle goes
// through deno compile with the release flags up to the point where the runtime is needed. This
// catches, before a tag is pushed, a deno.lock that --frozen would reject or a bundle that deno
// compile cannot embed. npm packages come from the registry directly; only dl.deno.land goes to
// the dead proxy.
Deno.test("the real main.ts bundles under --frozen and compiles up to the runtime download", async () => {
  await withTempDir(async (copy) => {
    await withTempDir(async (denoDir) => {
      await copyCheckout(copy);
      // README.md is read before compiling but packed only after; a stand-in keeps this test
      // independent of it.
      await Deno.writeTextFile(`${copy}/README.md`, "# stand-in\n");
      const r = await runRelease(["--root", copy, "--target", LINUX.triple, "--timeout", "300"], {
        DENO_DIR: denoDir,
        HTTPS_PROXY: `http://127.0.0.1:${closedPort()}`,
        NO_PROXY: "registry.npmjs.org",
      });
      assert.equal(r.code, EXIT.runtimeUnavailable, r.stderr);
      assert.match(r.stderr, /Compile .*server\/main\.js to /);
      assert.match(r.stderr, /Download https:\/\/dl\.deno\.land\/release\/v[\d.]+\/denort-/);
      assert.doesNotMatch(r.stderr, /lockfile/i);
    });
  });
});
