import { z } from "../deps.ts";
import { defineTool, type ToolContext } from "../mcp/define_tool.ts";
import type { CallToolResult } from "../deps.ts";
import { ToolError } from "../errors.ts";
import { ok } from "../mcp/result.ts";
import { KubeApiError, ResourceDisabledError } from "../kube/errors.ts";
import type { KubeClient, KubeObject, PortForwardTunnel } from "../kube/types.ts";
import { errorText } from "../mcp/errors_to_text.ts";
import {
  pickPod,
  serviceSelector,
  TargetError,
  targetPort,
} from "../portforward/service_target.ts";
import { ownerKey, PortForwardError, type PortForwards } from "../portforward/sessions.ts";
import * as o from "./_output.ts";
import * as p from "./_shared.ts";

/** More mappings than this in one session is no plausible use. */
const MAX_PORTS = 16;

const PREFIX = "failed to start port forward: ";
const FAILED = `${PREFIX}port forwarding failed to start: `;

type Obj = Record<string, unknown>;
const field = (obj: KubeObject, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v as Obj | undefined)?.[k], obj);

/** The reference's checks, in its order, with its texts. */
function validate(
  args: { namespace: string; pod?: string; service?: string; ports: PortArg[] },
): void {
  if (!args.namespace.trim()) throw new ToolError("namespace is required");
  const pod = args.pod?.trim(), service = args.service?.trim();
  if (!pod && !service) throw new ToolError("pod name is required");
  if (pod && service) {
    throw new ToolError("give pod or service, not both: service picks a running pod behind it");
  }
  if (args.ports.length === 0) throw new ToolError("at least one port mapping is required");
  args.ports.forEach((m, i) => {
    if (m.pod_port < 1 || m.pod_port > 65535) {
      throw new ToolError(`ports[${i}]: pod_port must be between 1 and 65535, got ${m.pod_port}`);
    }
    const local = m.local_port ?? 0;
    if (local < 0 || local > 65535) {
      throw new ToolError(`ports[${i}]: local_port must be between 0 and 65535, got ${local}`);
    }
  });
  const locals = args.ports.map((m) => m.local_port ?? 0).filter((l) => l !== 0);
  const twice = locals.find((l, i) => locals.indexOf(l) !== i);
  if (twice !== undefined) {
    throw new ToolError(`local_port ${twice} appears twice in ports; give each mapping its own`);
  }
}

interface PortArg {
  pod_port: number;
  local_port?: number;
}

interface StartArgs {
  namespace: string;
  pod?: string;
  service?: string;
  ports: PortArg[];
  context?: string;
}

/** A failed upgrade as client-go words it, plus what to do for a refusal. */
function upgradeError(e: unknown): ToolError {
  if (e instanceof KubeApiError) {
    const hint = e.status === 403
      ? " (port forwarding needs RBAC permission to create pods/portforward in this namespace; " +
        "ask the cluster's admin for it, or do without the tunnel)"
      : e.status === 404
      ? " (list_resources resource_type=pods shows the pods there)"
      : "";
    return new ToolError(`${FAILED}error upgrading connection: ${e.message}${hint}`);
  }
  return new ToolError(`${FAILED}${errorText("start_port_forward", e)}`);
}

/** Service target: the pod kubectl would pick and each Service port's pod port. */
async function resolveService(
  client: KubeClient,
  namespace: string,
  name: string,
  ports: PortArg[],
  signal: AbortSignal,
): Promise<
  { pod: string; ports: { pod_port: number; local_port: number; service_port: number }[] }
> {
  const [services, pods] = await Promise.all([
    client.resolve("services", "v1", signal),
    client.resolve("pods", "v1", signal),
  ]);
  const service = await client.get({ resource: services, name, namespace }, signal);
  const list = await client.list(
    { resource: pods, namespace, labelSelector: serviceSelector(service) },
    signal,
  );
  const pod = pickPod(name, list.items);
  return {
    pod: String(field(pod, "metadata", "name")),
    ports: ports.map((m) => ({
      service_port: m.pod_port,
      pod_port: targetPort(service, pod, m.pod_port),
      local_port: m.local_port ?? 0,
    })),
  };
}

/** The pod, or undefined when this user may not read it (403) or pods are disabled. */
async function readPod(
  client: KubeClient,
  namespace: string,
  name: string,
  signal: AbortSignal,
): Promise<KubeObject | undefined> {
  try {
    const pods = await client.resolve("pods", "v1", signal);
    return await client.get({ resource: pods, name, namespace }, signal);
  } catch (e) {
    if (e instanceof ResourceDisabledError || (e instanceof KubeApiError && e.status === 403)) {
      return undefined;
    }
    throw e;
  }
}

/** Why the tunnel's pod can no longer be forwarded to, or undefined while it runs. */
function podChecker(
  client: KubeClient,
  namespace: string,
  name: string,
  uid: unknown,
): () => Promise<string | undefined> {
  return async () => {
    const pods = await client.resolve("pods", "v1");
    let pod: KubeObject;
    try {
      pod = await client.get({ resource: pods, name, namespace });
    } catch (e) {
      if (e instanceof KubeApiError && e.status === 404) {
        return `pod ${namespace}/${name} was deleted`;
      }
      return undefined;
    }
    if (field(pod, "metadata", "uid") !== uid) {
      return `pod ${namespace}/${name} was deleted and created again; start a new port forward ` +
        `to reach the new pod`;
    }
    const phase = String(field(pod, "status", "phase") ?? "Unknown");
    return phase === "Running"
      ? undefined
      : `pod ${namespace}/${name} is no longer running (phase ${phase})`;
  };
}

export const startPortForward = defineTool({
  name: "start_port_forward",
  title: "Start a port forward",
  description: "Forward local ports on this server's host (127.0.0.1/::1 only) to ports of a " +
    "pod, or of a Service (service: a running pod behind it is chosen and each Service port " +
    "maps to its targetPort). local_port 0 or omitted picks a free port; the answer says which. " +
    "The tunnel stays until stop_port_forward, the pod goes, or it is idle too long.",
  input: {
    namespace: p.text(p.LIMITS.name).describe("Namespace"),
    pod: p.text(p.LIMITS.name).optional().describe("Pod name (or service)"),
    service: p.text(p.LIMITS.name).optional().describe("Service name, instead of pod"),
    ports: z.array(z.object({
      pod_port: z.number().int().describe("Port in the pod (with service: the Service port)"),
      local_port: z.number().int().optional().describe("Local port; 0 or omitted: any free one"),
    })).max(MAX_PORTS).describe("Port mappings"),
    context: p.context,
  },
  output: o.result({
    id: z.string(),
    namespace: z.string(),
    pod: z.string(),
    service: z.string().optional(),
    context: z.string().optional(),
    ports: z.array(o.object),
    started_at: z.string(),
  }),
  annotations: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: true,
  },
  async run(args, { kube, signal, identity, portForwards }) {
    if (!portForwards) {
      throw new ToolError("port forwarding is not enabled (--enable-port-forwarding)");
    }
    validate(args);
    const namespace = args.namespace.trim();
    for (const name of [args.pod, args.service]) {
      const why = name ? p.badObjectName(name.trim()) : undefined;
      if (why) throw new ToolError(`${PREFIX}"${name}" ${why}`);
    }
    const why = p.badNamespace(namespace);
    if (why) throw new ToolError(`${PREFIX}namespace "${namespace}" ${why}`);
    const release = portForwards.reserve();
    try {
      return await start(args, namespace, { kube, signal, identity, portForwards });
    } finally {
      release();
    }
  },
});

async function start(
  args: StartArgs,
  namespace: string,
  { kube, signal, identity, portForwards }: Pick<ToolContext, "kube" | "signal" | "identity"> & {
    portForwards: PortForwards;
  },
): Promise<CallToolResult> {
  const client = await kube.client(args.context);
  let pod = args.pod?.trim() ?? "";
  let ports: { pod_port: number; local_port: number; service_port?: number }[] = args.ports.map((
    m,
  ) => ({ pod_port: m.pod_port, local_port: m.local_port ?? 0 }));
  const service = args.service?.trim();
  if (service) {
    try {
      ({ pod, ports } = await resolveService(client, namespace, service, args.ports, signal));
    } catch (e) {
      if (e instanceof TargetError) throw new ToolError(`${FAILED}${e.message}`);
      throw e;
    }
  }

  const bound = portForwards.bind(ports);
  let tunnel: PortForwardTunnel | undefined;
  try {
    try {
      tunnel = await client.portForward(namespace, pod, signal);
    } catch (e) {
      throw upgradeError(e);
    }
    // As kubectl: a tunnel to a pod that is not running forwards nothing. The Go server reads
    // no pod, so a user who may open tunnels but not read pods (or --disabled-resources=pods,
    // which the Go server does not apply to port forwarding) still gets the tunnel, unwatched.
    const obj = await readPod(client, namespace, pod, signal);
    const phase = obj && String(field(obj, "status", "phase") ?? "Unknown");
    if (phase !== undefined && phase !== "Running") {
      throw new ToolError(
        `${FAILED}unable to forward port because pod is not running. Current status=${phase}`,
      );
    }
    return ok(
      {
        ...portForwards.add({
          owner: ownerKey(identity),
          namespace,
          pod,
          ...(service ? { service } : {}),
          ...(args.context?.trim() ? { context: args.context.trim() } : {}),
          ports,
          tunnel,
          checkPod: obj
            ? podChecker(client, namespace, pod, field(obj, "metadata", "uid"))
            : () => Promise.resolve(undefined),
        }, bound.listeners),
      },
    );
  } catch (e) {
    bound.release();
    await tunnel?.close("start failed").catch(() => {});
    if (e instanceof ToolError || e instanceof PortForwardError) throw e;
    throw new ToolError(`${PREFIX}${errorText("start_port_forward", e)}`);
  }
}
