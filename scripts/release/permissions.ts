// The one list of Deno permissions the released server runs with: compiled into the binaries,
// printed in the install docs, used for `deno run` from a URL and read by the tests.
//
// Each flag, and why it is not narrower:
// - --allow-net: the cluster API server may be any host, and the sse/streamable-http transports
//   listen on a port of the user's choosing.
// - --allow-read: the kubeconfig files and the certificate, key and CA files they name can be
//   anywhere; in-cluster, the service-account files under /var/run/secrets.
// - --allow-env: KUBECONFIG, HOME, proxy variables, and whatever exec credential plugins read;
//   client-node reads arbitrary proxy and plugin variables, so no fixed list is enough.
// - --allow-run: exec credential plugins (aws, gke-gcloud-auth-plugin, kubelogin, ...); without
//   it such kubeconfigs cannot authenticate.
// - --allow-sys=uid,gid: Deno's node:fs accessSync compares the file owner with the process uid
//   (and gid). client-node uses accessSync to find ~/.kube/config and the in-cluster namespace
//   file; without this it silently treats those files as missing (tests/release/
//   permissions_test.ts shows both ways). Only these two sys calls, nothing else.
// - --allow-write=/tmp: save_secret_to_file (file mode, the stdio default) writes one Secret
//   value into a new folder under the temp folder, or to a path the user names there. Nothing
//   else is ever written; a path outside /tmp is refused with a tool error that says so
//   (src/secrets/write_file.ts also resolves symbolic links, which Deno's check does not). Fixed
//   to /tmp because deno compile bakes permissions in: $TMPDIR differs per user (macOS) and is
//   only known at run time. On Windows this grants \tmp on the current drive only.
// Never granted: an unscoped --allow-write, --allow-ffi, -A.

export const RELEASE_PERMISSIONS: readonly string[] = [
  "--allow-net",
  "--allow-read",
  "--allow-env",
  "--allow-run",
  "--allow-sys=uid,gid",
  "--allow-write=/tmp",
];

/**
 * V8's heap sizing for a small, long-running server, used wherever the release permissions are
 * (binaries, npm package, image, `deno task start`). By default V8 lets the young generation grow
 * to 16 MB semi-spaces and the old generation grow by up to 4× before a full collection, which is
 * throughput-friendly but made a server whose live data is a few MB peak at 85–165 MiB. Measured
 * with `deno task bench` (docs/benchmarks.md): peak RSS after the first call 76 → 71 MiB,
 * get_resource 86 → 78, paged pod metrics 166 → 98; the cost is ~12% on a grep over a 154 MB log
 * (more scavenges while the chunks stream through), which stays below the Go server's time.
 */
export const RELEASE_V8_FLAGS = "--v8-flags=--max-semi-space-size=2,--heap-growing-percent=20";

/** What `deno run` / `deno compile` get for the released server: permissions, then V8 flags. */
export const RELEASE_RUN_FLAGS: readonly string[] = [...RELEASE_PERMISSIONS, RELEASE_V8_FLAGS];
