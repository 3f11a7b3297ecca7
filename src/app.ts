// Wires configuration, tools, Kubernetes access and a transport. Returns the exit code; only
// main.ts exits.

import type { Config } from "./config/schema.ts";
import { KubeAccess } from "./kube/access.ts";
import { log, warn } from "./log.ts";
import { selectTools, TOOLS } from "./mcp/registry.ts";
import { createServer } from "./mcp/server.ts";
import { checkConnectivity, StartupCheckError } from "./startup_check.ts";
import { serveStdio } from "./transports/stdio.ts";
import { ListenError, serveHttp } from "./transports/http.ts";
import { errorText } from "./mcp/errors_to_text.ts";

export async function run(config: Config, stop: AbortSignal): Promise<number> {
  const selection = selectTools(config.disabledTools);
  for (const name of selection.skipped) log(`Skipping disabled tool: "${name}"`);
  if (selection.unknown.length) {
    warn(
      `unknown tool name(s) in ${config.disabledToolsSource}: ${selection.unknown.join(", ")}; ` +
        `valid names are ${TOOLS.map((t) => t.name).join(", ")}`,
    );
  }
  const kube = new KubeAccess(config);
  const deps = { kube, config, tools: selection.tools };

  if (config.alwaysStart) {
    log("Skipping connectivity check (--always-start), starting MCP server immediately...");
  }
  // The check runs beside the transport, so a client's initialize and tools/list never wait
  // on the cluster; a failed check still ends the process with exit code 1.
  const failed = new AbortController();
  const check = config.alwaysStart ? Promise.resolve() : startupCheck(kube, config).catch((e) => {
    if (!(e instanceof StartupCheckError)) throw e;
    log(`Failed to connect to Kubernetes cluster: ${e.message}`);
    log(
      "\nPlease check:\n- the kubeconfig is valid and names the right context\n" +
        "- the cluster is reachable from this machine\n- the user has RBAC permission to read\n" +
        "- or start with --always-start to report these problems from the tools instead",
    );
    failed.abort();
  });
  const signal = AbortSignal.any([stop, failed.signal]);
  switch (config.transport) {
    case "stdio":
      log("Starting MCP server with stdio transport");
      await serveStdio(createServer(deps), signal);
      break;
    default:
      try {
        await serveHttp({
          transport: config.transport,
          host: config.host,
          port: config.port,
          allowedHosts: config.allowedHosts,
          newServer: () => createServer(deps),
          ready: () => readiness(kube),
        }, signal);
      } catch (e) {
        if (!(e instanceof ListenError)) throw e;
        log(e.message);
        return 1;
      }
  }
  await check;
  return failed.signal.aborted ? 1 : 0;
}

async function startupCheck(kube: KubeAccess, config: Config): Promise<void> {
  log("Testing connectivity to Kubernetes cluster...");
  const { version, disabled } = await checkConnectivity(kube, config);
  const ns = config.namespace ? `, namespace: ${config.namespace}` : "";
  log(`✓ Successfully connected to Kubernetes cluster (version: ${version}${ns})`);
  for (const name of disabled) log(`Disabling access to resource: "${name}"`);
}

/** For /readyz: undefined when the API server answers /version within 5 s. */
async function readiness(kube: KubeAccess): Promise<string | undefined> {
  try {
    const client = await kube.client();
    await client.serverVersion(AbortSignal.timeout(5000));
    return undefined;
  } catch (e) {
    return errorText("readyz", e).split("\n")[0];
  }
}
