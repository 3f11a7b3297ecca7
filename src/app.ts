// Wires configuration, tools, Kubernetes access and a transport. Returns the exit code; only
// main.ts exits.

import { createBudget } from "./budget/budget.ts";
import type { Config } from "./config/schema.ts";
import { log, warn } from "./log.ts";
import { errorText } from "./mcp/errors_to_text.ts";
import { selectTools, TOOLS } from "./mcp/registry.ts";
import { createServer, type ServerDeps } from "./mcp/server.ts";
import { checkAnonymous, checkConnectivity, StartupCheckError } from "./startup_check.ts";
import { setUpTeam, type Team } from "./team.ts";
import { ListenError, serveHttp } from "./transports/http.ts";
import { serveStdio } from "./transports/stdio.ts";

/** How long the check waits for the client's handshake before it starts anyway. */
const HANDSHAKE_WAIT_MS = 1000;

/** Beyond the request timeout, how long calls in flight at the end of stdin may take. */
const EOF_DRAIN_EXTRA_MS = 2000;

export async function run(config: Config, stop: AbortSignal): Promise<number> {
  const selection = selectTools(config.disabledTools, config.secretAccess);
  for (const name of selection.skipped) log(`Skipping disabled tool: "${name}"`);
  if (selection.unknown.length) {
    warn(
      `unknown tool name(s) in ${config.disabledToolsSource}: ${selection.unknown.join(", ")}; ` +
        `valid names are ${TOOLS.map((t) => t.name).join(", ")}`,
    );
  }
  const team = await setUpTeam(config);
  const kube = team.kube;
  const budget = createBudget(config, team.metrics?.budget);
  team.metrics?.watch(budget);
  const deps: ServerDeps = {
    kube,
    config,
    tools: selection.tools,
    kubeFor: team.passthrough?.kubeFor,
    onToolCall: team.metrics?.toolCall,
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
    : startupCheck(team, config, handshake.promise)
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
        ready: () => readiness(team),
        authenticate: team.passthrough?.authenticate,
        metrics: team.metrics?.respond,
        budget,
      }, signal);
    } catch (e) {
      if (!(e instanceof ListenError)) throw e;
      log(e.message);
      return 1;
    } finally {
      budget.unsent.close();
      team.close();
    }
  }
  await check;
  return failed.signal.aborted ? 1 : 0;
}

/** Logs the outcome of the start-up check; false when it failed. */
async function startupCheck(
  team: Team,
  config: Config,
  handshake: Promise<void>,
): Promise<boolean> {
  await Promise.race([handshake, new Promise((r) => setTimeout(r, HANDSHAKE_WAIT_MS))]);
  log("Testing connectivity to Kubernetes cluster...");
  try {
    const pass = team.passthrough;
    if (pass) {
      log("Passthrough: each HTTP request's bearer token is its identity on the cluster");
    }
    if (pass && !(await pass.ownCredentials())) {
      const version = await checkAnonymous(pass.anonymous);
      log(
        `✓ Kubernetes API server answers (version: ${version}); this server has no credentials ` +
          `of its own, so the check reached only /version and /readyz: each caller's RBAC is ` +
          `checked on its own calls`,
      );
      return true;
    }
    const { version, disabled } = await checkConnectivity(team.kube, config);
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
async function readiness(team: Team): Promise<string | undefined> {
  const probe = AbortSignal.timeout(READY_TIMEOUT_MS);
  try {
    const gaveUp = new Promise<never>((_, reject) =>
      probe.addEventListener("abort", () => reject(probe.reason), { once: true })
    );
    gaveUp.catch(() => {});
    // Acquiring credentials (an exec plugin) counts against the probe's time too.
    const pass = team.passthrough;
    const kube = pass && !(await pass.ownCredentials()) ? pass.anonymous : team.kube;
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
