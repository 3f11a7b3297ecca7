# The mcp-kubernetes-ro container image. Two stages: the build stage caches the server's npm
# packages and compiled TypeScript with the pinned Deno; the runtime stage is a base with no
# shell or package manager that gets the deno binary, that cache and the sources, runs as a
# non-root user and writes nothing (it works with a read-only root filesystem).
#
# Build context: the staged server, not the repository root. It holds exactly the server's module
# graph and deno.lock pruned to its npm packages:
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
# A PEM file of extra CAs for reaching the npm registry through a TLS-intercepting proxy (the
# tests mount the host's bundle); unset in release builds.
ARG DENO_CERT
ENV DENO_DIR=/deno-dir \
    DENO_NO_UPDATE_CHECK=1
WORKDIR /app
# npm packages first, in their own layer: src/deps.ts is the one module that names them (and
# `--frozen` installs the pruned lock's whole snapshot), so a change elsewhere in src/ reuses it.
# Exec form throughout: the local build base has no shell either.
COPY deno.json deno.lock ./
COPY src/deps.ts ./src/deps.ts
RUN ["deno", "cache", "--no-config", "--lock=deno.lock", "--frozen", "src/deps.ts"]
COPY main.ts ./
COPY src ./src
RUN ["deno", "cache", "--no-config", "--lock=deno.lock", "--frozen", "main.ts"]
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
    HOME=/home/nonroot \
    MCP_KUBERNETES_RO_ENCRYPTED_SECRET_ACCESS=true
WORKDIR /app
USER 65532:65532
# The release permissions (scripts/release/permissions.ts; tests/install/container_test.ts checks
# that this line matches them). --cached-only: nothing is fetched at run time.
ENTRYPOINT ["/usr/local/bin/deno", "run", "--no-config", "--lock=/app/deno.lock", "--frozen", "--cached-only", "--no-prompt", "--allow-net", "--allow-read", "--allow-env", "--allow-run", "--allow-sys=uid,gid", "--allow-write=/tmp", "/app/main.ts"]
