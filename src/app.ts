// Wires configuration, tools, Kubernetes access and a transport. Returns the exit code; only
// main.ts exits.

import type { AuthMode, ModeFactory } from "./auth/mode.ts";
import { MODES } from "./auth/modes.ts";
import { createBudget } from "./budget/budget.ts";
import type { Config } from "./config/schema.ts";
import { KubeAccess } from "./kube/access.ts";
import { RateLimits } from "./kube/rate_limit.ts";
import type { RequestHooks } from "./kube/request_hooks.ts";
import { checkAnonymous, checkConnectivity, StartupCheckError } from "./kube/startup_check.ts";
import { log, warn } from "./log.ts";
import { errorText } from "./mcp/errors_to_text.ts";
import { createServer, type ServerDeps } from "./mcp/server.ts";
import { createMetrics } from "./observability/prometheus.ts";
import { selectPrompts } from "./prompts/registry.ts";
import { selectTools, TOOLS } from "./tools/registry.ts";
import { ListenError, serveHttp } from "./transports/http.ts";
import type { PortForwards } from "./portforward/sessions.ts";
import { serveStdio } from "./transports/stdio.ts";

/** How long the check waits for the client's handshake before it starts anyway. */
const HANDSHAKE_WAIT_MS = 1000;

/** Beyond the request timeout, how long calls in flight at the end of stdin may take. */
const EOF_DRAIN_EXTRA_MS = 2000;

/** `modes` is replaced only by tests, to show a mode plugs in without touching this file. */
export async function run(
  config: Config,
  stop: AbortSignal,
  modes: Readonly<Record<string, ModeFactory>> = MODES,
): Promise<number> {
  const portForwards = config.portForwarding ? await startPortForwarding(config, stop) : undefined;
  const selection = selectTools(config.disabledTools, config.secretAccess, config.portForwarding);
  for (const name of selection.skipped) log(`Skipping disabled tool: "${name}"`);
  if (selection.unknown.length) {
    warn(
      `unknown tool name(s) in ${config.disabledToolsSource}: ${selection.unknown.join(", ")}; ` +
        `valid names are ${TOOLS.map((t) => t.name).join(", ")}`,
    );
  }
  // Client-side rate limits toward each API server (every transport); /metrics on the HTTP
  // transports only, so stdio never loads prom-client.
  const metrics = config.transport === "stdio" ? undefined : await createMetrics();
  const limits = new RateLimits(config);
  if (metrics) limits.onWait = (_server, kind, ms) => metrics.rateLimitWait(kind, ms / 1000);
  const hooks: RequestHooks = {
    admit: (signal, server, path) => limits.admit(server, signal, path),
    observe: metrics?.apiRequest,
  };
  const own = new KubeAccess(config, { hooks });
  const auth = await modes[config.auth]!({ config, own, hooks, cacheObserver: metrics?.cache });
  // Admission: every tools/call takes one slot, whatever it does. A fan-out call (its own
  // bounded concurrency, src/tools/_fan_out.ts) and the port-forward tools (a session outlives
  // its call; sessions are bounded by --port-forward-max-sessions) count as one call each.
  const budget = createBudget(config, metrics?.budget);
  metrics?.watch(budget);
  const deps: ServerDeps = {
    kube: own,
    config,
    tools: selection.tools,
    // A prompt is offered only when every tool it names is (--disabled-tools).
    prompts: selectPrompts(new Set(selection.tools.map((t) => t.name))),
    kubeFor: auth.kubeFor,
    onToolCall: metrics?.toolCall,
    portForwards,
  };

  // The check runs beside the transport, so a client's initialize and tools/list never wait on
  // the cluster. Over stdio it even waits for tools/list to be answered: loading client-node
  // blocks the event loop for a few hundred milliseconds, which the handshake must not pay.
  const handshake = Promise.withResolvers<void>();
  if (config.transport !== "stdio") handshake.resolve();
  const failed = new AbortController();
  if (config.alwaysStart) {
    log("Skipping connectivity check (--always-start), starting MCP server immediately...");
  }
  const check = config.alwaysStart
    ? Promise.resolve()
    : startupCheck(auth, config, handshake.promise)
      .then((ok) => {
        if (!ok) failed.abort();
      });
  const signal = AbortSignal.any([stop, failed.signal]);

  if (config.transport === "stdio") {
    log("Starting MCP server with stdio transport");
    // After the end of input every call gets its request timeout, and a little more, to finish.
    await serveStdio(
      () => createServer(deps),
      signal,
      (method) => {
        if (method === "tools/list") handshake.resolve();
      },
      config.requestTimeoutMs + EOF_DRAIN_EXTRA_MS,
      budget.admission,
    );
  } else {
    // Over HTTP the server is shared: say what it is sized for (stdio keeps its start-up quiet
    // and does not load node:v8).
    const { budgetLines } = await import("./budget/heap.ts");
    const lines = budgetLines(budget.plan, config.memoryBudgetSource);
    log(lines.info);
    if (lines.warning) warn(lines.warning);
    try {
      await serveHttp({
        transport: config.transport,
        host: config.host,
        port: config.port,
        allowedHosts: config.allowedHosts,
        newServer: () => createServer(deps),
        ready: () => readiness(auth),
        authenticate: auth.authenticate,
        metrics: metrics?.respond,
        budget,
      }, signal);
    } catch (e) {
      if (!(e instanceof ListenError)) throw e;
      log(e.message);
      return 1;
    } finally {
      budget.unsent.close();
      auth.close();
    }
  }
  await check;
  // Every tunnel closes with the server, however it stops (signal, end of input, failure).
  await portForwards?.stopAll();
  return failed.signal.aborted ? 1 : 0;
}

/**
 * Port forwarding's start-up lines (the reference's, §1.5) and its sessions; a signal stops every
 * tunnel before the transport's own shutdown finishes.
 */
async function startPortForwarding(config: Config, stop: AbortSignal): Promise<PortForwards> {
  const { PortForwards } = await import("./portforward/sessions.ts");
  log("Port forwarding tools enabled");
  if (config.transport === "sse") {
    log(
      "WARNING: Port forwarding with SSE mode — forwarded ports listen on this server's host " +
        "(127.0.0.1 and ::1), not on the MCP client's machine; a remote client must tunnel to " +
        "reach them.",
    );
  } else if (config.transport === "streamable-http") {
    log(
      "WARNING: Port forwarding with streamable-http mode — forwarded ports listen on this " +
        "server's host (127.0.0.1 and ::1), not on the MCP client's machine; a remote client " +
        "must tunnel to reach them. Sessions live in this process: do not run several replicas " +
        "behind a load balancer.",
    );
  }
  const portForwards = new PortForwards({
    maxSessions: config.portForwardMaxSessions,
    idleTimeoutMs: config.portForwardIdleTimeoutMs,
  });
  stop.addEventListener("abort", () => {
    log("Shutting down, stopping all port forwards...");
    portForwards.stopAll();
  }, { once: true });
  return portForwards;
}

/** Logs the outcome of the start-up check; false when it failed. */
async function startupCheck(
  auth: AuthMode,
  config: Config,
  handshake: Promise<void>,
): Promise<boolean> {
  await Promise.race([handshake, new Promise((r) => setTimeout(r, HANDSHAKE_WAIT_MS))]);
  log("Testing connectivity to Kubernetes cluster...");
  try {
    if (auth.startupNote) log(auth.startupNote);
    const probe = await auth.probe();
    if (!probe.full) {
      const version = await checkAnonymous(probe.kube);
      log(
        `✓ Kubernetes API server answers (version: ${version}); this server has no credentials ` +
          `of its own, so the check reached only /version and /readyz: each caller's RBAC is ` +
          `checked on its own calls`,
      );
      return true;
    }
    const { version, disabled } = await checkConnectivity(probe.kube, config);
    const ns = config.namespace ? `, namespace: ${config.namespace}` : "";
    log(`✓ Successfully connected to Kubernetes cluster (version: ${version}${ns})`);
    for (const name of disabled) log(`Disabling access to resource: "${name}"`);
    return true;
  } catch (e) {
    if (!(e instanceof StartupCheckError)) throw e;
    log(`Failed to connect to Kubernetes cluster: ${e.message}`);
    log(
      "\nPlease check:\n- the kubeconfig is valid and names the right context\n" +
        "- the cluster is reachable from this machine\n- the user has RBAC permission to read\n" +
        "- or start with --always-start to report these problems from the tools instead",
    );
    return false;
  }
}

/** How long /readyz waits for the API server's /version. */
export const READY_TIMEOUT_MS = 5000;

/** For /readyz: undefined when the API server answers /version within READY_TIMEOUT_MS. */
async function readiness(auth: AuthMode): Promise<string | undefined> {
  const probe = AbortSignal.timeout(READY_TIMEOUT_MS);
  try {
    const gaveUp = new Promise<never>((_, reject) =>
      probe.addEventListener("abort", () => reject(probe.reason), { once: true })
    );
    gaveUp.catch(() => {});
    // Acquiring credentials (an exec plugin) counts against the probe's time too.
    const { kube } = await auth.probe();
    const client = await Promise.race([kube.client(), gaveUp]);
    await Promise.race([client.serverVersion(probe), gaveUp]);
    return undefined;
  } catch (e) {
    // The client's own message names the request timeout, not this probe's shorter one.
    if (probe.aborted) {
      return `the Kubernetes API server did not answer /version within ${
        READY_TIMEOUT_MS / 1000
      }s (the readiness probe's timeout)`;
    }
    return errorText("readyz", e).split("\n")[0];
  }
}
