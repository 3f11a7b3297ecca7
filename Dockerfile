# The mcp-kubernetes-ro container image. Two stages: the build stage runs the bundled server once
# with the pinned Deno, which leaves V8's compiled-code cache in DENO_DIR (without it every
# container start compiles the bundle afresh: 390 ms instead of 160 ms to tools/list on the
# benchmark machine); the runtime stage is a base with no shell or package manager that gets the
# deno binary, that cache and the bundle, runs as a non-root user and writes nothing (it works
# with a read-only root filesystem).
#
# Build context: the npm package's folder, not the repository root. Its server/ holds the bundled
# server (scripts/release/bundle.ts): main.js and its chunks, with every npm package inside.
#
#   deno task npm-pack                      # writes dist/npm/package
#   docker build -f Dockerfile -t mcp-kubernetes-ro dist/npm/package
#
# The base images are build arguments. The release builds from the public images below; the test
# suite builds from local bases made from the pinned deno binary (tests/install/_podman.ts), since
# no registry is reachable there. BUILD_IMAGE must have deno on PATH; RUNTIME_IMAGE needs only the
# C libraries deno links (glibc, libgcc).
ARG BUILD_IMAGE=docker.io/denoland/deno:debian-2.9.6
ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot

FROM ${BUILD_IMAGE} AS build
# DENO_V8_FLAGS: V8's heap limit for the default memory budget (src/budget/plan.ts heapFlag); it
# cannot change once deno runs, so a deployment with another budget sets this variable too (the
# Helm chart does). Heap-size flags do not enter V8's code-cache check (measured), but both
# stages run with it all the same.
ENV DENO_DIR=/deno-dir \
    DENO_NO_UPDATE_CHECK=1 \
    DENO_V8_FLAGS=--max-old-space-size=144
WORKDIR /app
# Exec form throughout: the local build base has no shell either.
COPY server ./server
# --version loads and runs every module main.js imports statically (the lazy chunks load on the
# calls that need them), so their compiled code is cached; nothing is fetched. The V8 flags are
# the ENTRYPOINT's: V8 rejects a code cache made under other flags.
RUN ["deno", "run", "--no-config", "--no-lock", "--no-npm", "--no-remote", "--no-prompt", "--allow-env", "--v8-flags=--max-semi-space-size=2,--heap-growing-percent=20", "/app/server/main.js", "--version"]
# The deno binary at a fixed path, wherever the build image keeps it.
RUN ["deno", "eval", "Deno.copyFileSync(Deno.execPath(), '/deno')"]

FROM ${RUNTIME_IMAGE}
COPY --from=build /deno /usr/local/bin/deno
COPY --from=build /deno-dir /deno-dir
COPY --from=build /app /app
# The container cannot write to the user's disk, so Secret values are handed over encrypted by
# default (the encrypted secret access mode; see README). HOME is fixed so that ~/.kube/config
# means the same path on every base.
ENV DENO_DIR=/deno-dir \
    DENO_NO_UPDATE_CHECK=1 \
    DENO_V8_FLAGS=--max-old-space-size=144 \
    HOME=/home/nonroot \
    MCP_KUBERNETES_RO_ENCRYPTED_SECRET_ACCESS=true
WORKDIR /app
USER 65532:65532
# The release permissions and V8 flags (scripts/release/permissions.ts; tests/install/
# container_test.ts checks that this line matches them). --no-npm, --no-remote: nothing is
# fetched at run time.
ENTRYPOINT ["/usr/local/bin/deno", "run", "--no-config", "--no-lock", "--no-npm", "--no-remote", "--no-prompt", "--allow-net", "--allow-read", "--allow-env", "--allow-run", "--allow-sys=uid,gid", "--allow-write=/tmp", "--v8-flags=--max-semi-space-size=2,--heap-growing-percent=20", "/app/server/main.js"]
